// The local endpoint's CloudWatch arithmetic: statistics and percentiles, period
// buckets, retention rules, datapoint paging, awsQuery list unflattening.

import assert from 'node:assert/strict';
import { unflattenQuery } from '../../cloudwatch/input';
import {
  computeSeries,
  isValidPeriod,
  pageResults,
  requiredPeriodMultiple,
  type StatQuery,
} from '../../cloudwatch/metricsQuery';
import {
  Accumulator,
  normalQuantile,
  parseStatistic,
  weightedPercentile,
  type ParsedStatistic,
} from '../../cloudwatch/metricsStats';
import { MetricStore, seriesKey } from '../../cloudwatch/metricsStore';

const stat = (s: string): ParsedStatistic => parseStatistic(s)!;
const minute = 60_000;
const t0 = Date.UTC(2025, 0, 6, 12, 0, 0);

describe('local CloudWatch: statistics', () => {
  it('parses basic statistics and pNN.NN percentiles, and rejects the rest', () => {
    assert.deepEqual(parseStatistic('Average'), { kind: 'basic', name: 'Average' });
    assert.deepEqual(parseStatistic('p99.9'), { kind: 'percentile', percent: 99.9 });
    assert.deepEqual(parseStatistic('p100'), { kind: 'percentile', percent: 100 });
    for (const bad of ['average', 'p0', 'p101', 'p', 'tm99', 'p9x']) assert.equal(parseStatistic(bad), undefined, bad);
  });

  it('computes the basic statistics of raw values', () => {
    const acc = new Accumulator(false);
    for (const v of [4, 8, 15, 16, 23, 42]) acc.addValue(v);
    assert.equal(acc.result(stat('Sum')), 108);
    assert.equal(acc.result(stat('Average')), 18);
    assert.equal(acc.result(stat('Minimum')), 4);
    assert.equal(acc.result(stat('Maximum')), 42);
    assert.equal(acc.result(stat('SampleCount')), 6);
  });

  it('takes nearest-rank percentiles, weights counting as repeated values', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(
      weightedPercentile(
        values,
        values.map(() => 1),
        95,
      ),
      95,
    );
    assert.equal(
      weightedPercentile(
        values,
        values.map(() => 1),
        50,
      ),
      50,
    );
    assert.equal(
      weightedPercentile(
        values,
        values.map(() => 1),
        100,
      ),
      100,
    );
    assert.equal(weightedPercentile([10, 1000], [99, 1], 99), 10);
    assert.equal(weightedPercentile([10, 1000], [98, 2], 99), 1000);
    const acc = new Accumulator(true);
    acc.addValue(5, 3);
    acc.addValue(1, 1);
    assert.equal(acc.result(stat('p50')), 5, 'Values with Counts weigh by count');
    assert.equal(acc.result(stat('SampleCount')), 4);
  });

  it('gives no percentile once a statistic set with a spread is mixed in, but still the basic statistics', () => {
    const id = { namespace: 'Test', metricName: 'Mixed', dimensions: [] };
    const store = new MetricStore();
    store.put(id, { t: t0 + 1000, count: 1, sum: 3, min: 3, max: 3, values: [3], counts: [1] });
    store.put(id, { t: t0 + 2000, count: 10, sum: 100, min: 1, max: 20 });
    const read = (s: string): number[] =>
      computeSeries(
        store,
        { id: 'q', metric: id, period: 60, stat: stat(s), returnData: true },
        t0,
        t0 + minute,
        t0 + minute,
        'TimestampAscending',
      ).values;
    assert.deepEqual(read('p90'), []);
    assert.deepEqual(read('Sum'), [103]);
    assert.deepEqual(read('Maximum'), [20]);
    store.put({ ...id, metricName: 'Single' }, { t: t0 + 1000, count: 4, sum: 20, min: 5, max: 5 });
    const single = computeSeries(
      store,
      { id: 'q', metric: { ...id, metricName: 'Single' }, period: 60, stat: stat('p50'), returnData: true },
      t0,
      t0 + minute,
      t0 + minute,
      'TimestampAscending',
    );
    assert.deepEqual(single.values, [5], 'a statistic set with Minimum = Maximum still has percentiles');
  });

  it('reuses an accumulator across buckets without leaking points', () => {
    const acc = new Accumulator(true);
    for (let i = 0; i < 40; i += 1) acc.addValue(1000 + i);
    acc.reset();
    acc.addValue(7);
    assert.equal(acc.result(stat('p99')), 7);
    assert.equal(acc.result(stat('Maximum')), 7);
  });

  it('has a normal quantile good to several digits', () => {
    assert.ok(Math.abs(normalQuantile(0.95) - 1.6448536) < 1e-6);
    assert.ok(Math.abs(normalQuantile(0.5)) < 1e-9);
    assert.ok(Math.abs(normalQuantile(0.001) + 3.0902323) < 1e-6);
  });
});

describe('local CloudWatch: buckets, retention and paging', () => {
  const id = { namespace: 'Test', metricName: 'Latency', dimensions: [{ Name: 'Host', Value: 'a' }] };
  const query = (period: number, s: string): StatQuery => ({
    id: 'q',
    metric: id,
    period,
    stat: stat(s),
    returnData: true,
  });

  function storeWithMinutes(values: number[]): MetricStore {
    const store = new MetricStore();
    values.forEach((v, i) =>
      store.put(id, { t: t0 + i * minute + 1500, count: 1, sum: v, min: v, max: v, values: [v], counts: [1] }),
    );
    return store;
  }

  it('aligns buckets to the period, not to StartTime, and orders them by ScanBy', () => {
    const store = storeWithMinutes([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const asc = computeSeries(
      store,
      query(300, 'Sum'),
      t0 + 2 * minute,
      t0 + 10 * minute,
      t0 + 60 * minute,
      'TimestampAscending',
    );
    assert.deepEqual(asc.timestamps, [t0, t0 + 5 * minute]);
    assert.deepEqual(asc.values, [15, 40]);
    const desc = computeSeries(store, query(300, 'Sum'), t0, t0 + 10 * minute, t0 + 60 * minute, 'TimestampDescending');
    assert.deepEqual(desc.values, [40, 15]);
  });

  it('leaves out empty periods and data after the clock', () => {
    const store = storeWithMinutes([1, 2, 3]);
    const out = computeSeries(
      store,
      query(60, 'Maximum'),
      t0 - 5 * minute,
      t0 + 10 * minute,
      t0 + 1 * minute + 2000,
      'TimestampAscending',
    );
    assert.deepEqual(out.values, [1, 2], 'the point at +2 min is after "now" and not returned');
  });

  it('applies the retention rules: finer periods return nothing for old data', () => {
    const now = t0;
    assert.equal(requiredPeriodMultiple(now - 2 * 3_600_000, now), 1);
    assert.equal(requiredPeriodMultiple(now - 4 * 3_600_000, now), 60);
    assert.equal(requiredPeriodMultiple(now - 16 * 86_400_000, now), 300);
    assert.equal(requiredPeriodMultiple(now - 64 * 86_400_000, now), 3600);
    assert.ok(
      isValidPeriod(1) &&
        isValidPeriod(30) &&
        isValidPeriod(120) &&
        !isValidPeriod(45) &&
        !isValidPeriod(0) &&
        !isValidPeriod(90),
    );
    const store = new MetricStore();
    const old = now - 20 * 86_400_000;
    for (let i = 0; i < 10; i += 1)
      store.put(id, { t: old + i * minute, count: 1, sum: 1, min: 1, max: 1, values: [1], counts: [1] });
    assert.equal(
      computeSeries(store, query(60, 'Sum'), old, old + 10 * minute, now, 'TimestampAscending').values.length,
      0,
    );
    assert.deepEqual(
      computeSeries(store, query(300, 'Sum'), old, old + 10 * minute, now, 'TimestampAscending').values,
      [5, 5],
    );
  });

  it('computes percentiles per bucket from stored raw values', () => {
    const store = new MetricStore();
    store.put(id, {
      t: t0 + 1000,
      count: 100,
      sum: 5050,
      min: 1,
      max: 100,
      values: Array.from({ length: 100 }, (_, i) => i + 1),
      counts: Array(100).fill(1),
    });
    const out = computeSeries(store, query(60, 'p90'), t0, t0 + minute, t0 + minute, 'TimestampAscending');
    assert.deepEqual(out.values, [90]);
  });

  it('pages the points of all queries through MaxDatapoints, marking unfinished queries PartialData', () => {
    const queries = ['a', 'b', 'c'].map((q) => ({ ...query(60, 'Sum'), id: q }));
    const series = [3, 4, 2].map((n) => ({
      timestamps: Array.from({ length: n }, (_, i) => i),
      values: Array.from({ length: n }, (_, i) => i),
    }));
    const first = pageResults(queries, series, 0, 5);
    assert.deepEqual(
      first.results.map((r) => [r.id, r.values.length, r.statusCode]),
      [
        ['a', 3, 'Complete'],
        ['b', 2, 'PartialData'],
        ['c', 0, 'PartialData'],
      ],
    );
    assert.equal(first.nextOffset, 5);
    const second = pageResults(queries, series, 5, 5);
    assert.deepEqual(
      second.results.map((r) => [r.id, r.values, r.statusCode]),
      [
        ['b', [2, 3], 'Complete'],
        ['c', [0, 1], 'Complete'],
      ],
    );
    assert.equal(second.nextOffset, undefined);
  });

  it('keys a metric by its dimension set whatever order the dimensions come in', () => {
    const a = seriesKey({
      namespace: 'N',
      metricName: 'M',
      dimensions: [
        { Name: 'B', Value: '2' },
        { Name: 'A', Value: '1' },
      ],
    });
    const b = seriesKey({
      namespace: 'N',
      metricName: 'M',
      dimensions: [
        { Name: 'A', Value: '1' },
        { Name: 'B', Value: '2' },
      ],
    });
    const c = seriesKey({ namespace: 'N', metricName: 'M', dimensions: [{ Name: 'A', Value: '1' }] });
    assert.equal(a, b);
    assert.notEqual(a, c);
  });
});

describe('local CloudWatch: awsQuery input', () => {
  it('unflattens .member.N lists into the JSON shape, in index order', () => {
    const params = new URLSearchParams([
      ['Action', 'GetMetricData'],
      ['MetricDataQueries.member.2.Id', 'b'],
      ['MetricDataQueries.member.1.Id', 'a'],
      ['MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name', 'InstanceId'],
      ['MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value', 'i-1'],
      ['MetricDataQueries.member.1.MetricStat.Period', '60'],
      ['AlarmNames', ''],
    ]);
    const out = unflattenQuery(params) as {
      MetricDataQueries: { Id: string; MetricStat?: { Period: string; Metric: { Dimensions: object[] } } }[];
      AlarmNames: string;
    };
    assert.deepEqual(
      out.MetricDataQueries.map((q) => q.Id),
      ['a', 'b'],
    );
    assert.deepEqual(out.MetricDataQueries[0]!.MetricStat!.Metric.Dimensions, [{ Name: 'InstanceId', Value: 'i-1' }]);
    assert.equal(out.MetricDataQueries[0]!.MetricStat!.Period, '60');
    assert.equal(out.AlarmNames, '');
    assert.equal('Action' in out, false);
  });
});
