// CloudWatch statistics over the samples of one period: Average, Sum, Minimum, Maximum,
// SampleCount and percentiles (pNN.NN). One accumulator is reused bucket after bucket so
// a 500-query GetMetricData does not allocate per data point.

export type BasicStatistic = 'Average' | 'Sum' | 'Minimum' | 'Maximum' | 'SampleCount';

export type ParsedStatistic = { kind: 'basic'; name: BasicStatistic } | { kind: 'percentile'; percent: number };

const basicNames: readonly string[] = ['Average', 'Sum', 'Minimum', 'Maximum', 'SampleCount'];

/** Parses a CloudWatch statistic; undefined when it is neither basic nor pNN(.NN). */
export function parseStatistic(stat: string): ParsedStatistic | undefined {
  if (basicNames.includes(stat)) return { kind: 'basic', name: stat as BasicStatistic };
  const match = /^p(\d{1,3}(?:\.\d{1,10})?)$/.exec(stat);
  if (!match) return undefined;
  const percent = Number(match[1]);
  if (!(percent > 0 && percent <= 100)) return undefined;
  return { kind: 'percentile', percent };
}

/** The samples of one period. Percentile points are kept only when a percentile is asked for. */
export class Accumulator {
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;
  /** Percentiles are unavailable once a statistic set with distinct min/max is mixed in (as on AWS). */
  percentileBlocked = false;
  // Growable buffers reused across buckets: truncating arrays per bucket was the hot spot.
  private values: Float64Array = new Float64Array(16);
  private weights: Float64Array = new Float64Array(16);
  private points = 0;

  constructor(readonly keepPoints: boolean) {}

  reset(): void {
    this.count = 0;
    this.sum = 0;
    this.min = Infinity;
    this.max = -Infinity;
    this.percentileBlocked = false;
    this.points = 0;
  }

  /** `weight` identical raw samples of `value` (PutMetricData Value, or Values with Counts). */
  addValue(value: number, weight = 1): void {
    this.addSet(weight, value * weight, value, value);
    if (this.keepPoints) this.addPoint(value, weight);
  }

  /** A statistic set: contributes to every basic statistic but not to percentiles. */
  addSet(count: number, sum: number, min: number, max: number): void {
    this.count += count;
    this.sum += sum;
    if (min < this.min) this.min = min;
    if (max > this.max) this.max = max;
  }

  /** A weighted point used only for percentiles. */
  addPoint(value: number, weight: number): void {
    if (this.points === this.values.length) {
      const grow = (a: Float64Array): Float64Array => {
        const b = new Float64Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.values = grow(this.values);
      this.weights = grow(this.weights);
    }
    this.values[this.points] = value;
    this.weights[this.points] = weight;
    this.points += 1;
  }

  /** The statistic's value, or undefined when the period has no (usable) data. */
  result(stat: ParsedStatistic): number | undefined {
    if (this.count <= 0) return undefined;
    if (stat.kind === 'percentile') {
      if (this.percentileBlocked || this.points === 0) return undefined;
      if (this.points === 1) return this.values[0];
      return weightedPercentile(
        Array.from(this.values.subarray(0, this.points)),
        Array.from(this.weights.subarray(0, this.points)),
        stat.percent,
      );
    }
    switch (stat.name) {
      case 'Average':
        return this.sum / this.count;
      case 'Sum':
        return this.sum;
      case 'Minimum':
        return this.min;
      case 'Maximum':
        return this.max;
      case 'SampleCount':
        return this.count;
    }
  }
}

/**
 * Nearest-rank percentile over weighted points: the smallest value whose cumulative
 * weight reaches `percent`% of the total. p100 is the maximum.
 */
export function weightedPercentile(
  values: readonly number[],
  weights: readonly number[],
  percent: number,
): number | undefined {
  const n = values.length;
  if (n === 0) return undefined;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a]! - values[b]!);
  let total = 0;
  for (const w of weights) total += w;
  if (total <= 0) return undefined;
  const target = (percent / 100) * total;
  let cumulative = 0;
  for (const i of order) {
    cumulative += weights[i]!;
    if (cumulative >= target - 1e-9 * total) return values[i];
  }
  return values[order[n - 1]!];
}

/** Standard normal quantile (Acklam's rational approximation; |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low || p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(p < low ? p : 1 - p));
    const x =
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
    return p < low ? x : -x;
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}
