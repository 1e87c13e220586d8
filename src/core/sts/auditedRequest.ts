// One Request Access as the audit trail sees it: the reason and ticket checked again (the
// input box is not the only way in), access.requested written with the request id the session
// will carry, and only then AssumeRole. If the request cannot be recorded, AWS is not asked:
// a session the trail does not know about must not exist. A failure is recorded as
// access.failed under the same request id.
import { type AuditEventInput } from '../audit/events';
import { InfraWatchError } from '../errors';
import { checkReason, checkTicket } from '../requestText';
import { type Session } from '../session';
import { type BrokerDeps, requestSession, type SessionRequest } from './broker';
import { newRequestId } from './naming';

export interface AuditRecorder {
  /** Writes the record or throws; nothing is queued. */
  require(event: AuditEventInput): Promise<unknown>;
  /** Writes the record, or reports and retries it; never throws. */
  record(event: AuditEventInput): Promise<void>;
}

export interface AuditedRequestDeps extends BrokerDeps {
  audit: AuditRecorder;
}

function checkText(request: SessionRequest): void {
  const problem =
    (request.reason !== undefined ? checkReason(request.reason) : undefined) ??
    (request.ticket !== undefined ? checkTicket(request.ticket) : undefined);
  if (problem) throw new InfraWatchError('Validation', `Requesting access failed: ${problem}`);
}

/** The audit fields of a request: what access.requested and access.failed carry. */
export function getRequestAuditFields(
  request: SessionRequest,
  requestId: string,
): Omit<AuditEventInput, 'event' | 'outcome'> {
  const reason = request.reason?.trim();
  const ticket = request.ticket?.trim();
  return {
    actor: request.caller.arn,
    role: request.role,
    account: request.account,
    service: request.grant.service,
    level: request.grant.level,
    durationSeconds: request.durationSeconds,
    requestId,
    ...(reason ? { reason } : {}),
    ...(ticket ? { ticket } : {}),
  };
}

/** Records the request, then asks AWS; `check` may refuse the session AWS returned (it is recorded as failed). */
export async function requestAuditedSession(
  deps: AuditedRequestDeps,
  request: SessionRequest,
  check?: (session: Session) => void,
): Promise<Session> {
  checkText(request);
  const requestId = (deps.newRequestId ?? newRequestId)();
  const base = getRequestAuditFields(request, requestId);
  try {
    await deps.audit.require({ ...base, event: 'access.requested', outcome: 'success' });
  } catch (error) {
    const why =
      error instanceof Error ? error.message.replace(/^Writing the audit record \S+ failed: /, '') : String(error);
    throw new InfraWatchError(
      error instanceof InfraWatchError ? error.code : 'Unknown',
      `Requesting access failed: InfraWatch could not write the request to the audit trail, so it did not ask AWS for credentials (${why}). Fix the cause (see the InfraWatch log) and request again`,
      { cause: error },
    );
  }
  try {
    const session = await requestSession({ ...deps, newRequestId: () => requestId }, request);
    check?.(session);
    return session;
  } catch (error) {
    const code = error instanceof InfraWatchError ? error.code : 'Unknown';
    await deps.audit.record({
      ...base,
      event: 'access.failed',
      outcome: 'failure',
      detail: { code, message: error instanceof Error ? error.message.slice(0, 1000) : String(error) },
    });
    throw error;
  }
}
