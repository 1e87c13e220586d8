// OCSF export. Class: API Activity (6003, category Application Activity). Why this class:
// an InfraWatch grant is an STS AssumeRole made for the user, and Amazon Security Lake maps
// CloudTrail's AssumeRole to API Activity, so a SIEM sees our events beside CloudTrail's
// under the same class and field names. Authentication (3002) describes a logon, which
// InfraWatch never performs; Account Change (3001) describes edits to an account, which
// it never makes. Fields without an OCSF home go under `unmapped`.
import { getDisplayName } from '../arn';
import { type AuditEventName, type AuditRecord } from './events';
import { assertExportClean, type ExportOptions, getExportableRecord } from './exportRecords';

export const ocsfVersion = '1.1.0';
export const ocsfApiActivity = {
  classUid: 6003,
  className: 'API Activity',
  categoryUid: 6,
  categoryName: 'Application Activity',
} as const;

/** The class's base and class-specific required attributes (OCSF 1.1.0, cloud profile). */
export const ocsfApiActivityRequired = [
  'activity_id',
  'actor',
  'api',
  'category_uid',
  'class_uid',
  'cloud',
  'metadata',
  'severity_id',
  'src_endpoint',
  'time',
  'type_uid',
] as const;

export interface OcsfExportOptions extends ExportOptions {
  /** InfraWatch's version, for metadata.product.version. */
  productVersion?: string;
}

const activities = { create: [1, 'Create'], read: [2, 'Read'], update: [3, 'Update'], delete: [4, 'Delete'] } as const;

// Issuing credentials creates a session; handing them out reads it; ending it deletes it.
const activityOf: Record<AuditEventName, keyof typeof activities> = {
  'access.requested': 'create',
  'access.denied': 'create',
  'access.granted': 'create',
  'access.failed': 'create',
  'credentials.fetched': 'read',
  'credentials.refused': 'read',
  'session.revoked': 'delete',
  'session.expired': 'delete',
  'session.renewed': 'update',
  'terminal.opened': 'read',
  'debug.injected': 'read',
  'policy.loaded': 'read',
  'policy.rejected': 'read',
  'audit.gap': 'update',
};

// A policy denial is what a SOC wants to notice; an STS failure less so; success is routine.
const severityOf = { success: [1, 'Informational'], failure: [2, 'Low'], denied: [3, 'Medium'] } as const;

export type OcsfEvent = Record<string, unknown>;

function getUnmapped(record: AuditRecord): Record<string, unknown> | undefined {
  const { role, service, level, durationSeconds, reason, ticket, expiresAt, detail, seq, prevHash, hash } = record;
  const unmapped = { role, service, level, durationSeconds, reason, ticket, expiresAt, detail, seq, prevHash, hash };
  return JSON.parse(JSON.stringify(unmapped)) as Record<string, unknown>;
}

/** One record as an OCSF API Activity event; only values taken from the record (and constants). */
export function toOcsfEvent(record: AuditRecord, productVersion = 'unknown'): OcsfEvent {
  const [activityId, activityName] = activities[activityOf[record.event]];
  const [severityId, severity] = severityOf[record.outcome];
  const user: Record<string, unknown> = { uid: record.actor, name: getDisplayName(record.actor) };
  if (record.accessKeyId !== undefined) user.credential_uid = record.accessKeyId;
  return {
    class_uid: ocsfApiActivity.classUid,
    class_name: ocsfApiActivity.className,
    category_uid: ocsfApiActivity.categoryUid,
    category_name: ocsfApiActivity.categoryName,
    activity_id: activityId,
    activity_name: activityName,
    type_uid: ocsfApiActivity.classUid * 100 + activityId,
    type_name: `${ocsfApiActivity.className}: ${activityName}`,
    time: Date.parse(record.time),
    severity_id: severityId,
    severity,
    status_id: record.outcome === 'success' ? 1 : 2,
    status: record.outcome === 'success' ? 'Success' : 'Failure',
    ...(record.outcome === 'denied' ? { status_detail: 'Denied by the InfraWatch access policy' } : {}),
    message: record.event,
    actor: { user },
    api: {
      operation: record.event,
      service: { name: 'InfraWatch' },
      ...(record.requestId ? { request: { uid: record.requestId } } : {}),
    },
    cloud: { provider: 'AWS', ...(record.account ? { account: { uid: record.account } } : {}) },
    // The request starts in the engineer's editor; its address is not recorded.
    src_endpoint: { name: 'InfraWatch for VS Code' },
    metadata: {
      version: ocsfVersion,
      uid: record.hash,
      sequence: record.seq,
      profiles: ['cloud'],
      product: { name: 'InfraWatch', vendor_name: 'InfraWatch', version: productVersion },
    },
    unmapped: getUnmapped(record),
  };
}

/** OCSF events as JSON lines, in the order given. */
export function toOcsf(records: readonly AuditRecord[], options: OcsfExportOptions = {}): string {
  const text = records
    .map(
      (record) =>
        `${JSON.stringify(toOcsfEvent(getExportableRecord(record, options.guard), options.productVersion))}\n`,
    )
    .join('');
  assertExportClean(text, options.guard);
  return text;
}
