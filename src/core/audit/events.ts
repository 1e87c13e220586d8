// The audit vocabulary (README.md, "Audit trail and administration"): past-tense events and
// the fields a record may carry.
// Inputs are strict: a field that is not listed here (a secret, a token) cannot ride
// along. Lengths are bounded so one record stays one small line.
import * as z from 'zod';
import { auditEventNames } from '../../shared/auditEventNames';
import { lazySchema, once } from '../../shared/lazySchema';
import { accessLevels, serviceIds } from '../catalog';

export type AuditEventName = (typeof auditEventNames)[number];

export const auditOutcomes = ['success', 'failure', 'denied'] as const;
export type AuditOutcome = (typeof auditOutcomes)[number];

const text = (max: number): z.ZodString => z.string().min(1).max(max);
const getDetailValue = once(() => z.union([z.string().max(1024), z.number(), z.boolean(), z.null()]));

// A function, so the fields are built with the schemas that use them, on first use.
const inputShape = () => ({
  event: z.enum(auditEventNames),
  /** The caller's ARN (base identity), or the assumed-role ARN for credential fetches. */
  actor: text(2048),
  role: text(256).optional(),
  account: z
    .string()
    .regex(/^\d{12}$/)
    .optional(),
  service: z.enum(serviceIds).optional(),
  level: z.enum(accessLevels).optional(),
  durationSeconds: z.number().int().min(0).max(43_200).optional(),
  reason: text(1024).optional(),
  ticket: text(256).optional(),
  /** InfraWatch's request id (also in the RoleSessionName), or an AWS request id. */
  requestId: text(128).optional(),
  /** The public half only; the secret and the session token are never audited. */
  accessKeyId: z
    .string()
    .regex(/^[A-Z0-9]{16,128}$/)
    .optional(),
  /** ISO 8601. */
  expiresAt: z.iso.datetime().optional(),
  outcome: z.enum(auditOutcomes),
  detail: z
    .record(z.string().max(64), getDetailValue())
    .refine((d) => Object.keys(d).length <= 32, 'at most 32 detail fields')
    .optional(),
});

const getAuditEventInputSchema = once(() => z.strictObject(inputShape()));
export const auditEventInputSchema = lazySchema(getAuditEventInputSchema);
export type AuditEventInput = z.infer<typeof auditEventInputSchema>;

const getHashText = once(() => z.string().regex(/^[0-9a-f]{64}$/));

const getAuditRecordSchema = once(() =>
  z.strictObject({
    ...inputShape(),
    seq: z.number().int().min(1),
    time: z.iso.datetime(),
    prevHash: getHashText(),
    hash: getHashText(),
  }),
);
export const auditRecordSchema = lazySchema(getAuditRecordSchema);
export type AuditRecord = z.infer<typeof auditRecordSchema>;

/** What every part of the extension writes to; sinks (file, CloudWatch Logs) implement it. */
export interface AuditPort {
  append(event: AuditEventInput): Promise<AuditRecord>;
}
