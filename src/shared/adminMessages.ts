// Every message between the extension and the admin panel, as zod schemas both sides
// validate against. The panel shows who may do what, so nothing that is
// secret ever rides here: audit rows carry the record's public fields only, and their
// shape is strict so an extra field (a token) cannot slip through. No `vscode`, no DOM.
import * as z from 'zod';
import { lazySchema, once } from './lazySchema';

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

const getText = once(() => z.string().max(adminLimits.text));
const getRequestId = once(() => z.string().regex(/^[A-Za-z0-9_-]{1,64}$/));
const getEpochMs = once(() => z.number().int().min(0).max(4_102_444_800_000));
const getLevel = once(() => z.enum(['read', 'write', 'admin']));
const getShortName = once(() => z.string().max(64));

const getExportFormatSchema = once(() => z.enum(adminLimits.exportFormats));
export const exportFormatSchema = lazySchema(getExportFormatSchema);

const getAuditFilterSchema = once(() =>
  z
    .strictObject({
      user: getText().optional(),
      service: getShortName().optional(),
      outcome: z.enum(['success', 'failure', 'denied']).optional(),
      event: getShortName().optional(),
      from: getEpochMs().optional(),
      to: getEpochMs().optional(),
      text: getText().optional(),
    })
    .refine((f) => f.from === undefined || f.to === undefined || f.from <= f.to, 'from must not be after to'),
);
export const auditFilterSchema = lazySchema(getAuditFilterSchema);

/** The time range of a look for sessions made outside InfraWatch. */
const getOutsideRangeSchema = once(() =>
  z
    .strictObject({ from: getEpochMs(), to: getEpochMs() })
    .refine((r) => r.from <= r.to, 'from must not be after to')
    .refine((r) => r.to - r.from <= adminLimits.outsideRangeMs, 'CloudTrail keeps 90 days: choose a shorter range'),
);
export const outsideRangeSchema = lazySchema(getOutsideRangeSchema);

// ---- webview → extension -------------------------------------------------------------

const getAdminToHostSchema = once(() =>
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('ready') }),
    z.object({ type: z.literal('simulate'), requestId: getRequestId(), arn: z.string().max(adminLimits.arn) }),
    z.object({
      type: z.literal('loadAudit'),
      requestId: getRequestId(),
      filter: getAuditFilterSchema(),
      page: z.number().int().min(0).max(1_000_000),
      pageSize: z.number().int().min(1).max(adminLimits.pageSize),
      /** Read CloudWatch Logs again rather than reuse what the last load fetched. */
      reload: z.boolean(),
    }),
    z.object({
      type: z.literal('export'),
      requestId: getRequestId(),
      format: getExportFormatSchema(),
      filter: getAuditFilterSchema(),
    }),
    z.object({ type: z.literal('report'), level: z.enum(['warn', 'error']), message: getText() }),
    /** Read CloudTrail's AssumeRole events of the range and match them to the audit trail. */
    z.object({ type: z.literal('findOutside'), requestId: getRequestId(), range: getOutsideRangeSchema() }),
  ]),
);
export const adminToHostSchema = lazySchema(getAdminToHostSchema);

// ---- extension → webview -------------------------------------------------------------

const getMatrixRowSchema = once(() =>
  z.strictObject({
    role: getShortName(),
    service: getShortName(),
    level: getLevel(),
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
    fromRole: getShortName(),
  }),
);
export const matrixRowSchema = lazySchema(getMatrixRowSchema);

const getSimulationSchema = once(() =>
  z.strictObject({
    arn: z.string().max(adminLimits.arn),
    valid: z.boolean(),
    account: z.string().max(12).optional(),
    role: getShortName().optional(),
    matchedBy: z.enum(['arn', 'userName', 'glob']).optional(),
    pattern: z.string().max(adminLimits.arn).optional(),
    admin: z.boolean(),
    roleArn: z.string().max(adminLimits.arn).optional(),
    grants: z.array(getMatrixRowSchema()).max(adminLimits.grants),
    explanation: getText(),
  }),
);
export const simulationSchema = lazySchema(getSimulationSchema);

const getAuditRowSchema = once(() =>
  z
    .strictObject({
      seq: z.number().int().min(0),
      time: getEpochMs(),
      event: getShortName(),
      actor: z.string().max(adminLimits.arn),
      role: getShortName().optional(),
      account: z.string().max(12).optional(),
      service: getShortName().optional(),
      level: getLevel().optional(),
      outcome: z.enum(['success', 'failure', 'denied']),
      durationSeconds: z.number().int().min(0).max(43_200).optional(),
      reason: getText().optional(),
      ticket: z.string().max(256).optional(),
      requestId: z.string().max(128).optional(),
      source: z.enum(['local', 'remote', 'both']),
      /**
       * Organisation records are checked per writer (stream named for a principal, chain, actor):
       * `unverified` says why in unverifiedReason; `local` records were not read from the group.
       */
      verification: z.enum(['verified', 'unverified', 'local']),
      unverifiedReason: getText().optional(),
      stream: z.string().max(adminLimits.stream).optional(),
    })
    .refine(
      (row) => (row.verification === 'unverified') === (row.unverifiedReason !== undefined),
      'an unverified row says why, and only an unverified one',
    ),
);
export const auditRowSchema = lazySchema(getAuditRowSchema);

const getSourceStatus = once(() => z.strictObject({ count: z.number().int().min(0), error: getText().optional() }));
const getRemoteStatus = once(() => getSourceStatus().extend({ logGroup: z.string().max(512).optional() }));

/** Why a session is not InfraWatch's (src/core/admin/reconcile.ts FlagReason). */
export const outsideReasons = [
  'no-request-id',
  'unknown-request-id',
  'session-name-mismatch',
  'caller-mismatch',
  'access-key-mismatch',
  'request-id-reused',
] as const;

/**
 * One session of a JIT role that InfraWatch did not make: who, when, which role, with which
 * tags and SourceIdentity, and why it does not match. Strict, and no credentials: the
 * issued access key id stays behind.
 */
const getOutsideRowSchema = once(() =>
  z.strictObject({
    eventId: z.string().max(128),
    time: getEpochMs(),
    caller: z.string().max(adminLimits.arn),
    callerType: getShortName().optional(),
    roleArn: z.string().max(adminLimits.arn),
    roles: z.array(getShortName()).max(50),
    sessionName: z.string().max(256),
    sourceIdentity: z.string().max(256).optional(),
    tags: z
      .array(z.strictObject({ key: z.string().max(128), value: z.string().max(256) }))
      .max(adminLimits.sessionTags),
    requestId: z.string().max(256).optional(),
    region: getShortName().optional(),
    reason: z.enum(outsideReasons),
    explanation: getText(),
  }),
);
export const outsideRowSchema = lazySchema(getOutsideRowSchema);

const getAdminToWebviewSchema = once(() =>
  z.discriminatedUnion('type', [
    z.object({
      type: z.literal('init'),
      panel: z.literal('admin'),
      caller: z.string().max(adminLimits.arn),
      policyPath: getText(),
      roles: z.array(getShortName()).max(200),
      services: z.array(getShortName()).max(64),
      matrix: z.array(getMatrixRowSchema()).max(adminLimits.matrixRows),
      logGroup: z.string().max(512).optional(),
    }),
    z.object({ type: z.literal('simulation'), requestId: getRequestId(), result: getSimulationSchema() }),
    z.object({
      type: z.literal('audit'),
      requestId: getRequestId(),
      rows: z.array(getAuditRowSchema()).max(adminLimits.pageSize),
      page: z.number().int().min(0),
      pageCount: z.number().int().min(0),
      total: z.number().int().min(0),
      local: getSourceStatus(),
      remote: getRemoteStatus(),
    }),
    z.object({
      type: z.literal('outside'),
      requestId: getRequestId(),
      range: getOutsideRangeSchema(),
      /** Newest first, at most outsideRows of them. */
      rows: z.array(getOutsideRowSchema()).max(adminLimits.outsideRows),
      /** Every unmatched session, shown or not. */
      unmatched: z.number().int().min(0),
      matched: z.number().int().min(0),
      /** AssumeRole events on roles the policy does not name, and refused calls: counted only. */
      otherRoles: z.number().int().min(0),
      refused: z.number().int().min(0),
      pages: z.number().int().min(0),
      /** More events than InfraWatch reads at once: narrow the range. */
      truncated: z.boolean(),
      local: getSourceStatus(),
      remote: getRemoteStatus(),
    }),
    /** From "Find Sessions Made Outside InfraWatch": look over this range now. */
    z.object({ type: z.literal('showOutside'), range: getOutsideRangeSchema() }),
    z.object({
      type: z.literal('exported'),
      requestId: getRequestId(),
      path: getText(),
      count: z.number().int().min(0),
      format: getExportFormatSchema(),
    }),
    z.object({
      type: z.literal('failed'),
      requestId: getRequestId().optional(),
      message: getText(),
      code: z.string().max(64).optional(),
    }),
  ]),
);
export const adminToWebviewSchema = lazySchema(getAdminToWebviewSchema);

/** What the panel keeps in getState/setState, and what the serializer restores from. */
const getAdminStateSchema = once(() =>
  z.strictObject({
    panel: z.literal('admin'),
    filter: getAuditFilterSchema(),
    page: z.number().int().min(0).max(1_000_000),
    simulateArn: z.string().max(adminLimits.arn).optional(),
    outsideRange: getOutsideRangeSchema().optional(),
  }),
);
export const adminStateSchema = lazySchema(getAdminStateSchema);

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
