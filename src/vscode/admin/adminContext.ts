// What every admin command and the admin panel need, and the one check that refuses
// them to anyone who is not an Admin. The check runs in each handler: hiding the
// commands (the `infrawatch.isAdmin` context key) is a convenience, not the control.
import { type CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { type Access } from '../../core/accessState';
import { InfraWatchError } from '../../core/errors';
import { type AccessPolicy } from '../../core/policy/schema';

export interface AdminContext {
  /** The policy in force. */
  policy: AccessPolicy;
  /** The caller's resolved access; `admin` decides everything here. */
  access: Access;
  /** The caller's ARN, for the panel's header. */
  caller: string;
  policyPath: string;
  /** Where the local JSONL trail is written (the extension's global storage). */
  auditDir: string;
  /** Base-credential Logs client for the organisation's log group; undefined when signed out. */
  logsClient: CloudWatchLogsClient | undefined;
  /** Base-credential CloudTrail client (LookupEvents) for sessions made outside InfraWatch. */
  cloudTrailClient?: CloudTrailClient;
}

export type GetAdminContext = () => AdminContext | undefined;

/** The context when the caller is an Admin; otherwise an error that says why not. */
export function requireAdmin(getContext: GetAdminContext, action: string): AdminContext {
  const context = getContext();
  if (!context) {
    throw new InfraWatchError(
      'AccessDenied',
      `${action} failed: only InfraWatch Admins may do this, and InfraWatch does not know your role yet (sign in and load the access policy first)`,
    );
  }
  if (!context.access.admin) {
    throw new InfraWatchError(
      'AccessDenied',
      `${action} failed: only InfraWatch Admins may do this; your role ${context.access.role} is not an admin role in the access policy`,
    );
  }
  return context;
}
