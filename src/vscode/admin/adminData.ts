// Turns the pure admin and audit core into what the admin panel shows: matrix rows,
// simulations and audit rows in the shapes of src/shared/adminMessages.ts. The audit
// comes from two places (the local JSONL trail and the organisation's log group); a
// failure of one is reported beside the other's records rather than hiding both.
import { parseArn } from '../../core/arn';
import { type AuditFilter, type SourcedAuditRecord, filterAudit, mergeAuditSources, pageAudit as pageRecords } from '../../core/audit/queryFilter';
import { type AuditRead, parseCloudWatchAuditEvents, readLocalAudit } from '../../core/audit/queryRead';
import { fromAwsError } from '../../core/errors';
import { fetchLogEvents } from '../../core/logs/fetchLogs';
import { type Log } from '../../core/ports';
import { resolveAccess, resolveRole } from '../../core/policy/assign';
import { type EffectiveGrant, getEffectiveGrants } from '../../core/policy/roles';
import { type AccessPolicy } from '../../core/policy/schema';
import { type AuditFilterMessage, type AuditRowMessage, type MatrixRowMessage, type SimulationMessage, adminLimits } from '../../shared/adminMessages';
import { type AdminContext } from './adminContext';

export type SourcedRecord = SourcedAuditRecord;

export interface LoadedAudit {
  /** Both sources merged, de-duplicated by (seq, hash), oldest first. */
  records: SourcedRecord[];
  local: { count: number; error?: string };
  remote: { count: number; error?: string; logGroup?: string };
}

/** The organisation log group is read at most this far, so one panel cannot read forever. */
const maxRemotePages = 50;

function toMatrixRow(role: string, grant: EffectiveGrant): MatrixRowMessage {
  const { service, level, maxMinutes, defaultMinutes, mfa, reason, ticket, inherited, fromRole } = grant;
  return { role, service, level, maxMinutes, defaultMinutes, mfa, reason, ticket, inherited, fromRole };
}

/** Role × service × level, every role of the policy, inherited grants included and marked. */
export function getMatrixRows(policy: AccessPolicy): MatrixRowMessage[] {
  return Object.keys(policy.roles).flatMap((role) => getEffectiveGrants(policy, role).map((g) => toMatrixRow(role, g))).slice(0, adminLimits.matrixRows);
}

/** What the principal would get, by the resolution the extension itself uses. */
export function simulate(policy: AccessPolicy, rawArn: string): SimulationMessage {
  const arn = rawArn.trim();
  const parsed = parseArn(arn);
  const none = { arn, admin: false, grants: [] };
  if (!parsed || !/^\d{12}$/.test(parsed.account)) {
    return { ...none, valid: false, explanation: 'Not a principal ARN: expected arn:aws:iam::<12-digit account>:user/<name>, …:role/<name> or arn:aws:sts::<account>:assumed-role/<role>/<session>.' };
  }
  const access = resolveAccess(policy, { arn, account: parsed.account });
  if (access) {
    const { role, resolution, roleArn, admin, grants } = access;
    const explanation = `Assignment #${resolution.assignmentIndex + 1} matches by ${resolution.matchedBy} (${resolution.pattern}).${roleArn ? '' : ` The role has no IAM role ARN in account ${parsed.account}, so requests would fail.`}`;
    return { arn, valid: true, account: parsed.account, role, matchedBy: resolution.matchedBy, pattern: resolution.pattern, admin, roleArn, grants: grants.map((g) => toMatrixRow(role, g)).slice(0, adminLimits.grants), explanation };
  }
  const role = resolveRole(policy, { arn, account: parsed.account });
  const explanation = role
    ? `Assignment #${role.assignmentIndex + 1} gives role ${role.role}, but account ${parsed.account} is not among the policy's accounts (${policy.accounts.map((a) => a.id).join(', ')}), so nothing is granted.`
    : `No assignment matches this ARN (${policy.assignments.length} checked: exact ARNs, IAM user names, then globs), so InfraWatch grants nothing.`;
  return { ...none, valid: true, account: parsed.account, role: role?.role, explanation: explanation.slice(0, adminLimits.text) };
}

/** Every page of FilterLogEvents over the organisation's group, up to the cap. */
async function readRemote(context: AdminContext, logGroupName: string): Promise<AuditRead> {
  if (!context.logsClient) throw new Error('InfraWatch has no AWS credentials to read the log group with');
  const out: AuditRead = { records: [], notes: [] };
  let nextToken: string | undefined;
  for (let page = 0; page < maxRemotePages; page += 1) {
    const result = await fetchLogEvents(context.logsClient, { logGroupName, nextToken });
    const read = parseCloudWatchAuditEvents(result.events.map((e) => ({ eventId: e.id, timestamp: e.timestamp, message: e.message })));
    out.records.push(...read.records);
    out.notes.push(...read.notes);
    nextToken = result.nextToken;
    if (!nextToken) break;
  }
  return out;
}

function describe(error: unknown, doing: string): string {
  return fromAwsError(error, doing).message.slice(0, adminLimits.text);
}

export async function loadAuditSources(context: AdminContext, log?: Log): Promise<LoadedAudit> {
  const logGroup = context.policy.audit?.logGroup;
  const [local, remote] = await Promise.allSettled([
    readLocalAudit(context.auditDir),
    logGroup ? readRemote(context, logGroup) : Promise.resolve<AuditRead>({ records: [], notes: [] }),
  ]);
  const localRecords = local.status === 'fulfilled' ? local.value.records : [];
  const remoteRecords = remote.status === 'fulfilled' ? remote.value.records : [];
  for (const note of [...(local.status === 'fulfilled' ? local.value.notes : []), ...(remote.status === 'fulfilled' ? remote.value.notes : [])]) {
    log?.warn(`Audit trail: skipped ${note.where}: ${note.message}`);
  }
  return {
    records: mergeAuditSources(localRecords, remoteRecords),
    local: { count: localRecords.length, ...(local.status === 'rejected' ? { error: describe(local.reason, 'Reading the local audit trail') } : {}) },
    remote: {
      count: remoteRecords.length,
      logGroup,
      ...(remote.status === 'rejected' ? { error: describe(remote.reason, `Reading the log group ${logGroup ?? ''}`) } : {}),
    },
  };
}

export function selectAudit(records: readonly SourcedRecord[], filter: AuditFilterMessage): SourcedRecord[] {
  // The message schema bounds the strings; the core compares them to known names.
  return filterAudit(records, filter as AuditFilter);
}

/** One page, newest first; a page past the end shows the last one. */
export function pageAudit(records: readonly SourcedRecord[], page: number, pageSize: number): { records: SourcedRecord[]; page: number; pageCount: number } {
  const shown = pageRecords(records, { page, pageSize });
  return { records: shown.items, page: shown.page, pageCount: shown.pageCount };
}

/** The public fields of a record for the panel; hashes and free-form detail stay behind. */
export function toAuditRow(record: SourcedRecord): AuditRowMessage {
  const { seq, event, actor, role, account, service, level, outcome, durationSeconds, reason, ticket, requestId, source } = record;
  return { seq, time: Date.parse(record.time), event, actor, role, account, service, level, outcome, durationSeconds, reason, ticket, requestId, source };
}
