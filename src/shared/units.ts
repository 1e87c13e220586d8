// Human-readable values for CloudWatch units. Lives in shared because both the extension
// (summaries) and the chart hover in the webview format values the same way.

const binary = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

function trim(value: number, digits = 3): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  // Enough significant digits to tell neighbouring points apart, without noise.
  const decimals =
    abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : Math.min(6, digits + Math.ceil(-Math.log10(abs)) - 1);
  return String(Number(value.toFixed(decimals)));
}

function formatBytes(value: number, perSecond: boolean): string {
  let scaled = value;
  let index = 0;
  while (Math.abs(scaled) >= 1024 && index < binary.length - 1) {
    scaled /= 1024;
    index += 1;
  }
  return `${trim(scaled)} ${binary[index]}${perSecond ? '/s' : ''}`;
}

function formatSeconds(seconds: number): string {
  const abs = Math.abs(seconds);
  if (abs === 0) return '0 s';
  if (abs < 1e-3) return `${trim(seconds * 1e6)} µs`;
  if (abs < 1) return `${trim(seconds * 1e3)} ms`;
  if (abs < 120) return `${trim(seconds)} s`;
  if (abs < 7_200) return `${trim(seconds / 60)} min`;
  if (abs < 172_800) return `${trim(seconds / 3_600)} h`;
  return `${trim(seconds / 86_400)} d`;
}

function formatCount(value: number, suffix: string): string {
  const abs = Math.abs(value);
  const scaled =
    abs >= 1e9
      ? `${trim(value / 1e9)}G`
      : abs >= 1e6
        ? `${trim(value / 1e6)}M`
        : abs >= 1e3
          ? `${trim(value / 1e3)}k`
          : trim(value);
  return suffix ? `${scaled} ${suffix}` : scaled;
}

/** A value with its unit, e.g. `1.5 GiB`, `230 ms`, `87.2 %`, `12.3k`; `–` for a gap. */
export function formatValue(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  switch (unit) {
    case 'Bytes':
      return formatBytes(value, false);
    case 'Bytes/Second':
      return formatBytes(value, true);
    case 'Kilobytes':
      return formatBytes(value * 1024, false);
    case 'Megabytes':
      return formatBytes(value * 1024 ** 2, false);
    case 'Gigabytes':
      return formatBytes(value * 1024 ** 3, false);
    case 'Seconds':
      return formatSeconds(value);
    case 'Milliseconds':
      return formatSeconds(value / 1e3);
    case 'Microseconds':
      return formatSeconds(value / 1e6);
    case 'Percent':
      return `${trim(value)} %`;
    case 'Count':
    case 'None':
    case '':
      return formatCount(value, '');
    case 'Count/Second':
      return formatCount(value, '/s');
    default:
      return formatCount(value, unit);
  }
}
