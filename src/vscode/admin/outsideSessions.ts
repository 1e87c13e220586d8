// "Sessions outside InfraWatch" for the admin panel and its command: the AssumeRole events
// of a time range from CloudTrail, matched against the audit trail (the local file and the
// organisation's log group, as the audit browser reads them) by src/core/admin/reconcile.ts,
// shaped into the panel's strict rows. The matching itself lives in the core.
import { getJitRoles, type FlaggedSession, reconcileSessions } from '../../core/admin/reconcile';
import { lookupAssumeRoleEvents } from '../../core/admin/reconcileFetch';
import { fromAwsError, InfraWatchError } from '../../core/errors';
import { type Log } from '../../core/ports';
import {
  type AdminToWebview,
  type OutsideRange,
  type OutsideReason,
  type OutsideRowMessage,
  adminLimits,
} from '../../shared/adminMessages';
import { type AdminContext } from './adminContext';
import { loadAuditSources } from './adminData';

export type OutsideReport = Omit<Extract<AdminToWebview, { type: 'outside' }>, 'type' | 'requestId'>;

const doing = 'Finding sessions made outside InfraWatch';

export function toOutsideRow(flagged: FlaggedSession): OutsideRowMessage {
  const { event } = flagged;
  const reason: OutsideReason = flagged.reason;
  return {
    eventId: event.eventId.slice(0, 128),
    time: event.time,
    caller: event.callerArn.slice(0, adminLimits.arn),
    ...(event.callerType ? { callerType: event.callerType.slice(0, 64) } : {}),
    roleArn: event.roleArn.slice(0, adminLimits.arn),
    roles: flagged.roles.slice(0, 50).map((r) => r.slice(0, 64)),
    sessionName: event.sessionName.slice(0, 256),
    ...(event.sourceIdentity ? { sourceIdentity: event.sourceIdentity.slice(0, 256) } : {}),
    tags: event.tags
      .slice(0, adminLimits.sessionTags)
      .map((t) => ({ key: t.key.slice(0, 128), value: t.value.slice(0, 256) })),
    ...(flagged.requestId ? { requestId: flagged.requestId.slice(0, 256) } : {}),
    ...(event.region ? { region: event.region.slice(0, 64) } : {}),
    reason,
    explanation: flagged.explanation.slice(0, adminLimits.text),
  };
}

async function readTrail(context: AdminContext, range: OutsideRange, signal?: AbortSignal) {
  if (!context.cloudTrailClient)
    throw new InfraWatchError(
      'NoCredentials',
      `${doing} failed: InfraWatch has no AWS credentials to read CloudTrail with (sign in first)`,
    );
  try {
    return await lookupAssumeRoleEvents(context.cloudTrailClient, {
      from: new Date(range.from),
      to: new Date(range.to),
      signal,
    });
  } catch (error) {
    const known = fromAwsError(error, `${doing}: reading CloudTrail`);
    if (known.code !== 'AccessDenied') throw known;
    throw new InfraWatchError(
      'AccessDenied',
      `${known.message}. Your identity needs cloudtrail:LookupEvents (the IAM kit's admin policy grants it)`,
      { cause: error },
    );
  }
}

/** Reads both sides and matches them; fails only when neither audit source can be read. */
export async function findOutsideSessions(
  context: AdminContext,
  range: OutsideRange,
  log?: Log,
  signal?: AbortSignal,
): Promise<OutsideReport> {
  const [trail, audit] = await Promise.all([readTrail(context, range, signal), loadAuditSources(context, log)]);
  if (audit.local.error && (audit.remote.error || !audit.remote.logGroup)) {
    // With no audit to match against, every session would look like a bypass.
    throw new InfraWatchError(
      'Unknown',
      `${doing} failed: the audit trail cannot be read to match sessions against (${audit.local.error})`,
    );
  }
  if (trail.skipped > 0)
    log?.warn(`${doing}: skipped ${trail.skipped} CloudTrail event(s) that were not readable AssumeRole records`);
  const result = reconcileSessions(trail.events, audit.records, getJitRoles(context.policy));
  return {
    range,
    rows: result.unmatched.slice(0, adminLimits.outsideRows).map(toOutsideRow),
    unmatched: result.unmatched.length,
    matched: result.matched.length,
    otherRoles: result.otherRoles,
    refused: result.refused,
    pages: trail.pages,
    truncated: trail.truncated,
    local: audit.local,
    remote: audit.remote,
  };
}

/** The ranges the command offers, newest first; CloudTrail keeps 90 days. */
export const outsideRangeChoices = [
  { label: 'Last hour', ms: 3_600_000 },
  { label: 'Last 24 hours', ms: 24 * 3_600_000 },
  { label: 'Last 7 days', ms: 7 * 24 * 3_600_000 },
  { label: 'Last 30 days', ms: 30 * 24 * 3_600_000 },
  { label: 'Last 90 days', ms: adminLimits.outsideRangeMs },
] as const;
