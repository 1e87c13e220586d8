// Every message between the extension and the metrics and logs webviews, as zod schemas
// both sides validate against: anything that fails is dropped, never
// half-used. Sizes are bounded so a broken or hostile peer cannot make the other side
// allocate without limit. No `vscode`, no `node:*`, no DOM here.
import * as z from 'zod';
import { lazySchema, once } from './lazySchema';
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

const getText = once(() => z.string().max(limits.text));
const getRequestId = once(() => z.string().regex(/^[A-Za-z0-9_-]{1,64}$/));
// Epoch milliseconds between 1970 and 2100: a wrong unit (seconds) fails loudly.
const getEpochMs = once(() => z.number().int().min(0).max(4_102_444_800_000));

const getTimeRange = once(() =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('preset'), preset: z.enum(rangePresets) }),
    z
      .object({ kind: z.literal('custom'), start: getEpochMs(), end: getEpochMs() })
      .refine((r) => r.start < r.end, 'start must be before end'),
  ]),
);

// ---- webview → extension -------------------------------------------------------------

const getReady = once(() => z.object({ type: z.literal('ready') }));
const getSetRange = once(() =>
  z.object({ type: z.literal('setRange'), requestId: getRequestId(), range: getTimeRange() }),
);
const getRefresh = once(() => z.object({ type: z.literal('refresh'), requestId: getRequestId() }));
const getRequestAccess = once(() => z.object({ type: z.literal('requestAccess') }));
/** A webview reporting something it dropped or failed at, for the extension's log. */
const getReport = once(() =>
  z.object({ type: z.literal('report'), level: z.enum(['warn', 'error']), message: getText() }),
);

const getMetricsToHostSchema = once(() =>
  z.discriminatedUnion('type', [
    getReady(),
    getSetRange(),
    getRefresh(),
    getRequestAccess(),
    getReport(),
    z.object({ type: z.literal('openLogsAt'), time: getEpochMs(), resourceId: getText().optional() }),
    z.object({ type: z.literal('openLogs'), resourceId: getText().optional() }),
  ]),
);
export const metricsToHostSchema = lazySchema(getMetricsToHostSchema);

const getLogsToHostSchema = once(() =>
  z.discriminatedUnion('type', [
    getReady(),
    getSetRange(),
    getRefresh(),
    getRequestAccess(),
    getReport(),
    z.object({ type: z.literal('loadMore'), requestId: getRequestId() }),
    z.object({
      type: z.literal('setFilter'),
      requestId: getRequestId(),
      filterPattern: z.string().max(limits.filterPattern),
    }),
    z.object({ type: z.literal('setFollow'), follow: z.boolean() }),
    z.object({ type: z.literal('copyLine'), text: z.string().max(limits.logMessage) }),
  ]),
);
export const logsToHostSchema = lazySchema(getLogsToHostSchema);

// ---- extension → webview -------------------------------------------------------------

const getFailed = once(() =>
  z.object({
    type: z.literal('failed'),
    requestId: getRequestId().optional(),
    message: getText(),
    code: z.string().max(64).optional(),
  }),
);

const getMetricInfo = once(() => z.object({ name: getText(), stat: z.string().max(32), unit: z.string().max(64) }));

const getThresholdSchema = once(() =>
  z.object({
    value: z.number(),
    alarmName: getText(),
    state: z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']),
    /** The series (resource) the alarm watches; undefined when it is the only one. */
    resourceId: getText().optional(),
  }),
);
export const thresholdSchema = lazySchema(getThresholdSchema);

const getSeriesSchema = once(() =>
  z.object({
    resourceId: getText(),
    label: getText(),
    values: z.array(z.number().nullable()).max(limits.pointsPerSeries),
  }),
);
export const seriesSchema = lazySchema(getSeriesSchema);

const getChartSchema = once(() =>
  z
    .object({
      metric: getMetricInfo(),
      period: z.number().int().positive(),
      /** Shared by every series of the chart, ascending; a gap is `null` in a series. */
      timestamps: z.array(getEpochMs()).max(limits.pointsPerSeries),
      series: z.array(getSeriesSchema()).max(limits.seriesPerChart),
      thresholds: z.array(getThresholdSchema()).max(limits.thresholdsPerChart),
    })
    .refine(
      (c) => c.series.every((s) => s.values.length === c.timestamps.length),
      'every series needs one value per timestamp',
    ),
);
export const chartSchema = lazySchema(getChartSchema);

const getMetricsInit = once(() =>
  z.object({
    type: z.literal('init'),
    panel: z.literal('metrics'),
    title: getText(),
    service: z.string().max(32),
    serviceName: getText(),
    resource: z.object({ id: getText(), label: getText() }).optional(),
    metrics: z.array(getMetricInfo()).max(limits.charts),
    range: getTimeRange(),
    hasLogs: z.boolean(),
  }),
);

const getMetricsToWebviewSchema = once(() =>
  z.discriminatedUnion('type', [
    getMetricsInit(),
    z.object({
      type: z.literal('metrics'),
      requestId: getRequestId().optional(),
      start: getEpochMs(),
      end: getEpochMs(),
      charts: z.array(getChartSchema()).max(limits.charts),
      /** Set when the series list was cut to the schema's bounds. */
      truncated: z.boolean(),
    }),
    getFailed(),
  ]),
);
export const metricsToWebviewSchema = lazySchema(getMetricsToWebviewSchema);

const getLogEventSchema = once(() =>
  z.object({
    id: z.string().max(256),
    timestamp: getEpochMs(),
    stream: z.string().max(512),
    message: z.string().max(limits.logMessage),
  }),
);
export const logEventSchema = lazySchema(getLogEventSchema);

const getLogsInit = once(() =>
  z.object({
    type: z.literal('init'),
    panel: z.literal('logs'),
    title: getText(),
    service: z.string().max(32),
    resourceId: getText(),
    logGroupName: z.string().max(512),
    filterPattern: z.string().max(limits.filterPattern),
    range: getTimeRange(),
    follow: z.boolean(),
    /** The moment to scroll to first (a chart point that was clicked). */
    focusTime: getEpochMs().optional(),
  }),
);

const getLogsToWebviewSchema = once(() =>
  z.discriminatedUnion('type', [
    getLogsInit(),
    z.object({
      type: z.literal('logs'),
      requestId: getRequestId().optional(),
      /** `replace` starts a new list (new range or filter); `append` adds to it. */
      mode: z.enum(['replace', 'append']),
      events: z.array(getLogEventSchema()).max(limits.eventsPerMessage),
      /** More (older-to-newer) pages are available through `loadMore`. */
      hasMore: z.boolean(),
    }),
    getFailed(),
  ]),
);
export const logsToWebviewSchema = lazySchema(getLogsToWebviewSchema);

/** What a panel keeps in getState/setState, and what the serializer restores from. */
const getPanelStateSchema = once(() =>
  z.object({
    panel: z.enum(['metrics', 'logs']),
    service: z.string().max(32),
    resourceId: getText().optional(),
    range: getTimeRange(),
    autoRefresh: z.boolean().optional(),
    filterPattern: z.string().max(limits.filterPattern).optional(),
    follow: z.boolean().optional(),
  }),
);
export const panelStateSchema = lazySchema(getPanelStateSchema);

export type MetricsToHost = z.infer<typeof metricsToHostSchema>;
export type LogsToHost = z.infer<typeof logsToHostSchema>;
export type MetricsToWebview = z.infer<typeof metricsToWebviewSchema>;
export type LogsToWebview = z.infer<typeof logsToWebviewSchema>;
export type MetricsInit = z.infer<ReturnType<typeof getMetricsInit>>;
export type LogsInit = z.infer<ReturnType<typeof getLogsInit>>;
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
