// Every message between the extension and the metrics and logs webviews, as zod schemas
// both sides validate against: anything that fails is dropped, never
// half-used. Sizes are bounded so a broken or hostile peer cannot make the other side
// allocate without limit. No `vscode`, no `node:*`, no DOM here.
import * as z from 'zod';
import { rangePresets } from './timeRange';

export const limits = {
  text: 1_024,
  logMessage: 262_144, // a CloudWatch Logs event is at most 256 KiB
  filterPattern: 1_024,
  charts: 50,
  seriesPerChart: 100,
  pointsPerSeries: 2_000,
  eventsPerMessage: 10_000,
  thresholdsPerChart: 20,
} as const;

const text = z.string().max(limits.text);
const requestId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
// Epoch milliseconds between 1970 and 2100: a wrong unit (seconds) fails loudly.
const epochMs = z.number().int().min(0).max(4_102_444_800_000);

export const timeRangeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('preset'), preset: z.enum(rangePresets) }),
  z.object({ kind: z.literal('custom'), start: epochMs, end: epochMs }).refine((r) => r.start < r.end, 'start must be before end'),
]);

// ---- webview → extension -------------------------------------------------------------

const ready = z.object({ type: z.literal('ready') });
const setRange = z.object({ type: z.literal('setRange'), requestId, range: timeRangeSchema });
const refresh = z.object({ type: z.literal('refresh'), requestId });
const requestAccess = z.object({ type: z.literal('requestAccess') });
/** A webview reporting something it dropped or failed at, for the extension's log. */
const report = z.object({ type: z.literal('report'), level: z.enum(['warn', 'error']), message: text });

export const metricsToHostSchema = z.discriminatedUnion('type', [
  ready,
  setRange,
  refresh,
  requestAccess,
  report,
  z.object({ type: z.literal('openLogsAt'), time: epochMs, resourceId: text.optional() }),
  z.object({ type: z.literal('openLogs'), resourceId: text.optional() }),
]);

export const logsToHostSchema = z.discriminatedUnion('type', [
  ready,
  setRange,
  refresh,
  requestAccess,
  report,
  z.object({ type: z.literal('loadMore'), requestId }),
  z.object({ type: z.literal('setFilter'), requestId, filterPattern: z.string().max(limits.filterPattern) }),
  z.object({ type: z.literal('setFollow'), follow: z.boolean() }),
  z.object({ type: z.literal('copyLine'), text: z.string().max(limits.logMessage) }),
]);

// ---- extension → webview -------------------------------------------------------------

const failed = z.object({ type: z.literal('failed'), requestId: requestId.optional(), message: text, code: z.string().max(64).optional() });

const metricInfo = z.object({ name: text, stat: z.string().max(32), unit: z.string().max(64) });

export const thresholdSchema = z.object({
  value: z.number(),
  alarmName: text,
  state: z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']),
  /** The series (resource) the alarm watches; undefined when it is the only one. */
  resourceId: text.optional(),
});

export const seriesSchema = z.object({
  resourceId: text,
  label: text,
  values: z.array(z.number().nullable()).max(limits.pointsPerSeries),
});

export const chartSchema = z
  .object({
    metric: metricInfo,
    period: z.number().int().positive(),
    /** Shared by every series of the chart, ascending; a gap is `null` in a series. */
    timestamps: z.array(epochMs).max(limits.pointsPerSeries),
    series: z.array(seriesSchema).max(limits.seriesPerChart),
    thresholds: z.array(thresholdSchema).max(limits.thresholdsPerChart),
  })
  .refine((c) => c.series.every((s) => s.values.length === c.timestamps.length), 'every series needs one value per timestamp');

const metricsInit = z.object({
  type: z.literal('init'),
  panel: z.literal('metrics'),
  title: text,
  service: z.string().max(32),
  serviceName: text,
  resource: z.object({ id: text, label: text }).optional(),
  metrics: z.array(metricInfo).max(limits.charts),
  range: timeRangeSchema,
  hasLogs: z.boolean(),
});

export const metricsToWebviewSchema = z.discriminatedUnion('type', [
  metricsInit,
  z.object({
    type: z.literal('metrics'),
    requestId: requestId.optional(),
    start: epochMs,
    end: epochMs,
    charts: z.array(chartSchema).max(limits.charts),
    /** Set when the series list was cut to the schema's bounds. */
    truncated: z.boolean(),
  }),
  failed,
]);

export const logEventSchema = z.object({
  id: z.string().max(256),
  timestamp: epochMs,
  stream: z.string().max(512),
  message: z.string().max(limits.logMessage),
});

const logsInit = z.object({
  type: z.literal('init'),
  panel: z.literal('logs'),
  title: text,
  service: z.string().max(32),
  resourceId: text,
  logGroupName: z.string().max(512),
  filterPattern: z.string().max(limits.filterPattern),
  range: timeRangeSchema,
  follow: z.boolean(),
  /** The moment to scroll to first (a chart point that was clicked). */
  focusTime: epochMs.optional(),
});

export const logsToWebviewSchema = z.discriminatedUnion('type', [
  logsInit,
  z.object({
    type: z.literal('logs'),
    requestId: requestId.optional(),
    /** `replace` starts a new list (new range or filter); `append` adds to it. */
    mode: z.enum(['replace', 'append']),
    events: z.array(logEventSchema).max(limits.eventsPerMessage),
    /** More (older-to-newer) pages are available through `loadMore`. */
    hasMore: z.boolean(),
  }),
  failed,
]);

/** What a panel keeps in getState/setState, and what the serializer restores from. */
export const panelStateSchema = z.object({
  panel: z.enum(['metrics', 'logs']),
  service: z.string().max(32),
  resourceId: text.optional(),
  range: timeRangeSchema,
  autoRefresh: z.boolean().optional(),
  filterPattern: z.string().max(limits.filterPattern).optional(),
  follow: z.boolean().optional(),
});

export type MetricsToHost = z.infer<typeof metricsToHostSchema>;
export type LogsToHost = z.infer<typeof logsToHostSchema>;
export type MetricsToWebview = z.infer<typeof metricsToWebviewSchema>;
export type LogsToWebview = z.infer<typeof logsToWebviewSchema>;
export type MetricsInit = z.infer<typeof metricsInit>;
export type LogsInit = z.infer<typeof logsInit>;
export type Chart = z.infer<typeof chartSchema>;
export type Series = z.infer<typeof seriesSchema>;
export type Threshold = z.infer<typeof thresholdSchema>;
export type LogEventMessage = z.infer<typeof logEventSchema>;

/** The typed value, or undefined when `data` does not match; never throws. */
export function parseMessage<T extends z.ZodType>(schema: T, data: unknown): z.infer<T> | undefined {
  try {
    const result = schema.safeParse(data);
    return result.success ? result.data : undefined;
  } catch {
    return undefined; // e.g. a getter that throws on a hostile object
  }
}

/** Why `data` does not match, in one short line for a log (no values echoed back). */
export function describeMismatch(schema: z.ZodType, data: unknown): string {
  try {
    const result = schema.safeParse(data);
    if (result.success) return 'valid';
    const issue = result.error.issues[0];
    const path = issue?.path.map(String).join('.') ?? '';
    return `${issue?.code ?? 'invalid'} at ${path || '(root)'}${result.error.issues.length > 1 ? ` (+${result.error.issues.length - 1} more)` : ''}`;
  } catch {
    return 'unreadable message';
  }
}
