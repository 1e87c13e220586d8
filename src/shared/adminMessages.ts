// Every message between the extension and the admin panel, as zod schemas both sides
// validate against. The panel shows who may do what, so nothing that is
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
  /** Sessions outside InfraWatch shown at once (the rest are counted). */
  outsideRows: 500,
  /** AWS allows 50 session tags. */
  sessionTags: 50,
  /** CloudTrail's LookupEvents reaches 90 days back. */
  outsideRangeMs: 90 * 24 * 3_600_000,
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

/** The time range of a look for sessions made outside InfraWatch. */
export const outsideRangeSchema = z.strictObject({ from: epochMs, to: epochMs })
  .refine((r) => r.from <= r.to, 'from must not be after to')
  .refine((r) => r.to - r.from <= adminLimits.outsideRangeMs, 'CloudTrail keeps 90 days: choose a shorter range');

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
  /** Read CloudTrail's AssumeRole events of the range and match them to the audit trail. */
  z.object({ type: z.literal('findOutside'), requestId, range: outsideRangeSchema }),
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
  /** How the MFA is met, per kind of identity (matrix) or for the simulated principal's kind. */
  mfaText: z.string().max(200).optional(),
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
const remoteStatus = sourceStatus.extend({ logGroup: z.string().max(512).optional() });

/** Why a session is not InfraWatch's (src/core/admin/reconcile.ts FlagReason). */
export const outsideReasons = ['no-request-id', 'unknown-request-id', 'session-name-mismatch', 'caller-mismatch', 'access-key-mismatch', 'request-id-reused'] as const;

/**
 * One session of a JIT role that InfraWatch did not make: who, when, which role, with which
 * tags and SourceIdentity, and why it does not match. Strict, and no credentials: the
 * issued access key id stays behind.
 */
export const outsideRowSchema = z.strictObject({
  eventId: z.string().max(128),
  time: epochMs,
  caller: z.string().max(adminLimits.arn),
  callerType: shortName.optional(),
  roleArn: z.string().max(adminLimits.arn),
  roles: z.array(shortName).max(50),
  sessionName: z.string().max(256),
  sourceIdentity: z.string().max(256).optional(),
  tags: z.array(z.strictObject({ key: z.string().max(128), value: z.string().max(256) })).max(adminLimits.sessionTags),
  requestId: z.string().max(256).optional(),
  region: shortName.optional(),
  reason: z.enum(outsideReasons),
  explanation: text,
});

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
    remote: remoteStatus,
  }),
  z.object({
    type: z.literal('outside'),
    requestId,
    range: outsideRangeSchema,
    /** Newest first, at most outsideRows of them. */
    rows: z.array(outsideRowSchema).max(adminLimits.outsideRows),
    /** Every unmatched session, shown or not. */
    unmatched: z.number().int().min(0),
    matched: z.number().int().min(0),
    /** AssumeRole events on roles the policy does not name, and refused calls: counted only. */
    otherRoles: z.number().int().min(0),
    refused: z.number().int().min(0),
    pages: z.number().int().min(0),
    /** More events than InfraWatch reads at once: narrow the range. */
    truncated: z.boolean(),
    local: sourceStatus,
    remote: remoteStatus,
  }),
  /** From "Find Sessions Made Outside InfraWatch": look over this range now. */
  z.object({ type: z.literal('showOutside'), range: outsideRangeSchema }),
  z.object({ type: z.literal('exported'), requestId, path: text, count: z.number().int().min(0), format: exportFormatSchema }),
  z.object({ type: z.literal('failed'), requestId: requestId.optional(), message: text, code: z.string().max(64).optional() }),
]);

/** What the panel keeps in getState/setState, and what the serializer restores from. */
export const adminStateSchema = z.strictObject({
  panel: z.literal('admin'),
  filter: auditFilterSchema,
  page: z.number().int().min(0).max(1_000_000),
  simulateArn: z.string().max(adminLimits.arn).optional(),
  outsideRange: outsideRangeSchema.optional(),
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
export type OutsideRange = z.infer<typeof outsideRangeSchema>;
export type OutsideRowMessage = z.infer<typeof outsideRowSchema>;
export type OutsideReason = (typeof outsideReasons)[number];
