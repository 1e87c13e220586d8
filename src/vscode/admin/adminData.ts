// Turns the pure admin and audit core (src/core/admin, src/core/audit) into what the admin
// panel shows: matrix rows, simulations and audit rows in the shapes of
// src/shared/adminMessages.ts. No policy logic of its own, so the panel cannot disagree
// with what the extension does. The audit comes from two places (the local JSONL trail
// and the organisation's log group); a failure of one is reported beside the other's
// records rather than hiding both.
import { type PermissionRow, buildPermissionMatrix } from '../../core/admin/permissionMatrix';
import { simulatePrincipal } from '../../core/admin/simulatePrincipal';
import { describeMfaBy, describeMfaMethod, getMfaMethod, type IdentityKind, toMfaBy } from '../../core/policy/mfa';
import {
  type AuditFilter,
  type SourcedAuditRecord,
  filterAudit,
  mergeAuditSources,
  pageAudit as pageRecords,
} from '../../core/audit/queryFilter';
import { type OrgRead } from '../../core/audit/orgVerify';
import { parseCloudWatchAuditEvents, readLocalAudit } from '../../core/audit/queryRead';
import { fromAwsError } from '../../core/errors';
import { fetchLogEvents } from '../../core/logs/fetchLogs';
import { type Log } from '../../core/ports';
import { type AccessPolicy } from '../../core/policy/schema';
import {
  type AuditFilterMessage,
  type AuditRowMessage,
  type MatrixRowMessage,
  type SimulationMessage,
  adminLimits,
} from '../../shared/adminMessages';
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

/** The panel's row: the cell without its resource scope, which the strict message shape does not carry. */
function toMatrixRow(role: string, cell: Omit<PermissionRow, 'role'>, kind?: IdentityKind): MatrixRowMessage {
  const { service, level, maxMinutes, defaultMinutes, mfa, mfaDefault, reason, ticket, inherited, fromRole } = cell;
  // The matrix says it per kind; a simulation, for the simulated principal's kind.
  const mfaText =
    kind === undefined ? describeMfaBy(cell.mfaBy ?? toMfaBy(mfa)) : describeMfaMethod(getMfaMethod(cell, kind), kind);
  return {
    role,
    service,
    level,
    maxMinutes,
    defaultMinutes,
    mfa,
    ...(mfaDefault ? { mfaDefault } : {}),
    mfaText,
    reason,
    ticket,
    inherited,
    fromRole,
  };
}

/** Role × service × level, every role of the policy, inherited grants included and marked. */
export function getMatrixRows(policy: AccessPolicy): MatrixRowMessage[] {
  return buildPermissionMatrix(policy)
    .rows.slice(0, adminLimits.matrixRows)
    .map((row) => toMatrixRow(row.role, row));
}

/** "Not a principal ARN" leads, so the panel reads the same whichever check refused it. */
function explainInvalid(problem: string): string {
  if (problem.startsWith('Not a principal ARN')) return problem;
  return `Not a principal ARN: ${problem.charAt(0).toLowerCase()}${problem.slice(1)}`;
}

/** What the principal would get, by the core simulation (the resolution the extension itself uses). */
export function simulate(policy: AccessPolicy, rawArn: string): SimulationMessage {
  const result = simulatePrincipal(policy, rawArn);
  const arn = result.arn.slice(0, adminLimits.arn);
  if (!result.valid)
    return {
      arn,
      valid: false,
      admin: false,
      grants: [],
      explanation: explainInvalid(result.explanation).slice(0, adminLimits.text),
    };
  const { account, resolution, access, admin, grants, explanation, warnings } = result;
  const role = access?.role ?? resolution?.role;
  return {
    arn,
    valid: true,
    account,
    admin,
    ...(role !== undefined ? { role } : {}),
    ...(resolution ? { matchedBy: resolution.matchedBy, pattern: resolution.pattern.slice(0, adminLimits.arn) } : {}),
    ...(access?.roleArn !== undefined ? { roleArn: access.roleArn } : {}),
    grants: grants.slice(0, adminLimits.grants).map((g) => toMatrixRow(role ?? g.fromRole, g, result.identityKind)),
    explanation: [explanation, ...warnings].join(' ').slice(0, adminLimits.text),
  };
}

/**
 * Every page of FilterLogEvents over the organisation's group, up to the cap, then each
 * stream's chain verified over all of it (a link's predecessor may be on another page).
 */
async function readRemote(context: AdminContext, logGroupName: string): Promise<OrgRead> {
  if (!context.logsClient) throw new Error('InfraWatch has no AWS credentials to read the log group with');
  const events: { eventId: string; timestamp: number; stream: string; message: string }[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < maxRemotePages; page += 1) {
    const result = await fetchLogEvents(context.logsClient, { logGroupName, nextToken });
    events.push(
      ...result.events.map((e) => ({ eventId: e.id, timestamp: e.timestamp, stream: e.stream, message: e.message })),
    );
    nextToken = result.nextToken;
    if (!nextToken) break;
  }
  return parseCloudWatchAuditEvents(events);
}

function describe(error: unknown, doing: string): string {
  return fromAwsError(error, doing).message.slice(0, adminLimits.text);
}

export async function loadAuditSources(context: AdminContext, log?: Log): Promise<LoadedAudit> {
  const logGroup = context.policy.audit?.logGroup;
  const [local, remote] = await Promise.allSettled([
    readLocalAudit(context.auditDir),
    logGroup ? readRemote(context, logGroup) : Promise.resolve<OrgRead>({ records: [], notes: [] }),
  ]);
  const localRecords = local.status === 'fulfilled' ? local.value.records : [];
  const remoteRecords = remote.status === 'fulfilled' ? remote.value.records : [];
  for (const note of [
    ...(local.status === 'fulfilled' ? local.value.notes : []),
    ...(remote.status === 'fulfilled' ? remote.value.notes : []),
  ]) {
    log?.warn(`Audit trail: skipped ${note.where}: ${note.message}`);
  }
  return {
    records: mergeAuditSources(localRecords, remoteRecords),
    local: {
      count: localRecords.length,
      ...(local.status === 'rejected' ? { error: describe(local.reason, 'Reading the local audit trail') } : {}),
    },
    remote: {
      count: remoteRecords.length,
      logGroup,
      ...(remote.status === 'rejected'
        ? { error: describe(remote.reason, `Reading the log group ${logGroup ?? ''}`) }
        : {}),
    },
  };
}

export function selectAudit(records: readonly SourcedRecord[], filter: AuditFilterMessage): SourcedRecord[] {
  // The message schema bounds the strings; the core compares them to known names.
  return filterAudit(records, filter as AuditFilter);
}

/** One page, newest first; a page past the end shows the last one. */
export function pageAudit(
  records: readonly SourcedRecord[],
  page: number,
  pageSize: number,
): { records: SourcedRecord[]; page: number; pageCount: number } {
  const shown = pageRecords(records, { page, pageSize });
  return { records: shown.items, page: shown.page, pageCount: shown.pageCount };
}

/** How the panel marks a record: local-only records are not in the group, so not checked per writer here. */
function toVerification(record: SourcedRecord): Pick<AuditRowMessage, 'verification' | 'unverifiedReason' | 'stream'> {
  const v = record.verification;
  if (v === undefined) return { verification: 'local' };
  const stream = v.stream.slice(0, adminLimits.stream);
  return v.ok
    ? { verification: 'verified', stream }
    : { verification: 'unverified', unverifiedReason: v.reason.slice(0, adminLimits.text), stream };
}

/** The public fields of a record for the panel; hashes and free-form detail stay behind. */
export function toAuditRow(record: SourcedRecord): AuditRowMessage {
  const {
    seq,
    event,
    actor,
    role,
    account,
    service,
    level,
    outcome,
    durationSeconds,
    reason,
    ticket,
    requestId,
    source,
  } = record;
  return {
    seq,
    time: Date.parse(record.time),
    event,
    actor,
    role,
    account,
    service,
    level,
    outcome,
    durationSeconds,
    reason,
    ticket,
    requestId,
    source,
    ...toVerification(record),
  };
}
