// The error the JIT flow throws: an InfraWatchError that also says what the user should do
// next, so the Request Access flow can re-ask for the MFA code, offer a shorter duration,
// or point at the admin without parsing messages.
import { type ErrorCode, InfraWatchError } from '../errors';

export type StsNextAction =
  /** Transient: the same request may succeed if sent again (throttling, network, AWS 5xx). */
  | 'retry'
  /** The MFA code was wrong, expired or already used: ask for a new one, keep the other answers. */
  | 'reenterMfa'
  /** The MFA device ARN/serial is wrong for this caller: fix the MFA device setting. */
  | 'fixMfaSerial'
  /** The access policy (role ARN, resource patterns) produces a request AWS refuses. */
  | 'fixPolicy'
  /** A shorter duration would be accepted. */
  | 'chooseShorter'
  /** Something the user typed (ticket, reason) must change. */
  | 'editRequest'
  /** The base AWS credentials are expired or invalid: sign in again. */
  | 'refreshCredentials'
  /** Only an AWS/IAM admin can fix it (trust policy, permissions, region activation). */
  | 'contactAdmin'
  /** The computer's clock is off by more than AWS tolerates. */
  | 'fixClock'
  /** Nothing to offer (cancelled, or an unknown failure shown with the log). */
  | 'none';

export class StsError extends InfraWatchError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly nextAction: StsNextAction,
    options?: { cause?: unknown; requestId?: string; awsCode?: string },
  ) {
    super(code, message, options);
    this.awsCode = options?.awsCode;
  }
  /** The AWS error code (`AccessDenied`, `ValidationError`, …) when AWS answered. */
  readonly awsCode: string | undefined;
}

export function isStsError(error: unknown): error is StsError {
  return error instanceof StsError;
}
