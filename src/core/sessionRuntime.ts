// The seam between the Request Access conversation (vscode/sessions/requestFlow.ts) and the
// session service that owns the sessions: the flow asks through this, so neither module
// imports the other.
import { type AccessSnapshot } from './accessSnapshot';
import { type AwsClients } from './awsClients';
import { type AccessLevel, type ServiceId } from './catalog';
import { type Clock, type Log } from './ports';
import { type Session } from './session';
import { type AuditRecorder } from './sts/auditedRequest';

/** The access controller as a request reads it. */
export interface AccessReader {
  readonly snapshot: AccessSnapshot;
  whenSettled(): Promise<AccessSnapshot>;
  /** The base-credential clients of `snapshot`'s identity; undefined before one is known. */
  getClients(): AwsClients | undefined;
}

/** What a request needs of the sessions of this window. */
export interface SessionRuntime {
  readonly access: AccessReader;
  readonly clock: Clock;
  readonly log: Log;
  /** The audit trail: `require` before AWS is asked, `record` for what already happened. */
  readonly audit: AuditRecorder;
  /** The live session of a service and level, if any. */
  find(service: ServiceId, level: AccessLevel): Session | undefined;
}
