// Every message between the extension and the admin panel, as zod schemas both sides
// validate against (DESIGN §6, §12). The panel shows who may do what, so nothing that is
// secret ever rides here: audit rows carry the record's public fields only, and their
// shape is strict so an extra field (a token) cannot slip through. No `vscode`, no DOM.
import * as z from 'zod';

export const adminLimits = {
  text: 1_024,
  arn: 2_048,
  matrixRows: 5_000,
  grants: 500,
  pageSize: 500,
  /** CloudWatch Logs stream names are at most 512 characters. */
  stream: 512,
  exportFormats: ['jsonl', 'csv', 'ocsf'] as const,
} as const;

const text = z.string().max(adminLimits.text);
const requestId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const epochMs = z.number().int().min(0).max(4_102_444_800_000);
const level = z.enum(['read', 'write', 'admin']);
const shortName = z.string().max(64);

export const exportFormatSchema = z.enum(adminLimits.exportFormats);

export const auditFilterSchema = z.strictObject({
  user: text.optional(),
  service: shortName.optional(),
  outcome: z.enum(['success', 'failure', 'denied']).optional(),
  event: shortName.optional(),
  from: epochMs.optional(),
  to: epochMs.optional(),
  text: text.optional(),
}).refine((f) => f.from === undefined || f.to === undefined || f.from <= f.to, 'from must not be after to');

// ---- webview → extension -------------------------------------------------------------

export const adminToHostSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('simulate'), requestId, arn: z.string().max(adminLimits.arn) }),
  z.object({
    type: z.literal('loadAudit'),
    requestId,
    filter: auditFilterSchema,
    page: z.number().int().min(0).max(1_000_000),
    pageSize: z.number().int().min(1).max(adminLimits.pageSize),
    /** Read CloudWatch Logs again rather than reuse what the last load fetched. */
    reload: z.boolean(),
  }),
  z.object({ type: z.literal('export'), requestId, format: exportFormatSchema, filter: auditFilterSchema }),
  z.object({ type: z.literal('report'), level: z.enum(['warn', 'error']), message: text }),
]);

// ---- extension → webview -------------------------------------------------------------

export const matrixRowSchema = z.strictObject({
  role: shortName,
  service: shortName,
  level,
  maxMinutes: z.number().int().min(0).max(720),
  defaultMinutes: z.number().int().min(0).max(720),
  mfa: z.boolean(),
  /** MFA is required by default: the policy does not say. */
  mfaDefault: z.literal(true).optional(),
  reason: z.boolean(),
  ticket: z.boolean(),
  inherited: z.boolean(),
  fromRole: shortName,
});

export const simulationSchema = z.strictObject({
  arn: z.string().max(adminLimits.arn),
  valid: z.boolean(),
  account: z.string().max(12).optional(),
  role: shortName.optional(),
  matchedBy: z.enum(['arn', 'userName', 'glob']).optional(),
  pattern: z.string().max(adminLimits.arn).optional(),
  admin: z.boolean(),
  roleArn: z.string().max(adminLimits.arn).optional(),
  grants: z.array(matrixRowSchema).max(adminLimits.grants),
  explanation: text,
});

export const auditRowSchema = z.strictObject({
  seq: z.number().int().min(0),
  time: epochMs,
  event: shortName,
  actor: z.string().max(adminLimits.arn),
  role: shortName.optional(),
  account: z.string().max(12).optional(),
  service: shortName.optional(),
  level: level.optional(),
  outcome: z.enum(['success', 'failure', 'denied']),
  durationSeconds: z.number().int().min(0).max(43_200).optional(),
  reason: text.optional(),
  ticket: z.string().max(256).optional(),
  requestId: z.string().max(128).optional(),
  source: z.enum(['local', 'remote', 'both']),
  /**
   * Organisation records are checked per writer (stream named for a principal, chain, actor):
   * `unverified` says why in unverifiedReason; `local` records were not read from the group.
   */
  verification: z.enum(['verified', 'unverified', 'local']),
  unverifiedReason: text.optional(),
  stream: z.string().max(adminLimits.stream).optional(),
}).refine((row) => (row.verification === 'unverified') === (row.unverifiedReason !== undefined), 'an unverified row says why, and only an unverified one');

const sourceStatus = z.strictObject({ count: z.number().int().min(0), error: text.optional() });

export const adminToWebviewSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('init'),
    panel: z.literal('admin'),
    caller: z.string().max(adminLimits.arn),
    policyPath: text,
    roles: z.array(shortName).max(200),
    services: z.array(shortName).max(64),
    matrix: z.array(matrixRowSchema).max(adminLimits.matrixRows),
    logGroup: z.string().max(512).optional(),
  }),
  z.object({ type: z.literal('simulation'), requestId, result: simulationSchema }),
  z.object({
    type: z.literal('audit'),
    requestId,
    rows: z.array(auditRowSchema).max(adminLimits.pageSize),
    page: z.number().int().min(0),
    pageCount: z.number().int().min(0),
    total: z.number().int().min(0),
    local: sourceStatus,
    remote: sourceStatus.extend({ logGroup: z.string().max(512).optional() }),
  }),
  z.object({ type: z.literal('exported'), requestId, path: text, count: z.number().int().min(0), format: exportFormatSchema }),
  z.object({ type: z.literal('failed'), requestId: requestId.optional(), message: text, code: z.string().max(64).optional() }),
  z.object({ type: z.literal('theme'), kind: z.enum(['light', 'dark', 'highContrast', 'highContrastLight']) }),
]);

/** What the panel keeps in getState/setState, and what the serializer restores from. */
export const adminStateSchema = z.strictObject({
  panel: z.literal('admin'),
  filter: auditFilterSchema,
  page: z.number().int().min(0).max(1_000_000),
  simulateArn: z.string().max(adminLimits.arn).optional(),
});

export type AdminToHost = z.infer<typeof adminToHostSchema>;
export type AdminToWebview = z.infer<typeof adminToWebviewSchema>;
export type AdminInit = Extract<AdminToWebview, { type: 'init' }>;
export type AuditFilterMessage = z.infer<typeof auditFilterSchema>;
export type MatrixRowMessage = z.infer<typeof matrixRowSchema>;
export type SimulationMessage = z.infer<typeof simulationSchema>;
export type AuditRowMessage = z.infer<typeof auditRowSchema>;
export type AdminState = z.infer<typeof adminStateSchema>;
export type ExportFormat = z.infer<typeof exportFormatSchema>;
