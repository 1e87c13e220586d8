// The AWS access portal API (restJson, signing name awsssoportal; noAuth: the caller
// presents the OIDC access token in the x-amz-sso_bearer_token header): ListAccounts,
// ListAccountRoles, GetRoleCredentials and Logout.
// https://docs.aws.amazon.com/singlesignon/latest/PortalAPIReference/API_Operations.html
//
// GetRoleCredentials hands out a role session of the permission set's role: the principal
// is the demo 'sso' identity's (same role, permissions and MFA device) with new keys, the
// user's name as the session name and the permission set's session duration.

import { derivedId, randomId, randomSecret, randomSessionToken } from '../server/ids';
import type { DemoIdentity } from '../iam/identities';
import {
  demoPermissionSets,
  demoSsoAccountId,
  demoSsoAccountName,
  demoSsoUser,
  permissionSetRoleArn,
  type PermissionSet,
} from './directory';
import { revokeSession, sessionOfAccessToken, type PortalSession, type SsoStore } from './store';
import type { CredentialRecord, LocalAwsState } from '../server/state';
import { AwsError, type Principal, type ServiceResponse } from '../server/types';

export interface PortalTarget {
  store: SsoStore;
  state: LocalAwsState;
  identities: readonly DemoIdentity[];
}

export interface PortalRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  now: number;
  requestId: string;
}

export const portalPaths = new Set(['/assignment/accounts', '/assignment/roles', '/federation/credentials', '/logout']);

function ok(payload: unknown, requestId: string): ServiceResponse {
  return {
    status: 200,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId },
    body: payload === undefined ? '' : JSON.stringify(payload),
  };
}

/** Portal errors: the code in x-amzn-errortype, `{"message": …}` in the body (the model's shape). */
export function portalError(err: AwsError, requestId: string): ServiceResponse {
  return {
    status: err.status,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId, 'x-amzn-errortype': err.code },
    body: JSON.stringify({ message: err.message }),
  };
}

const unauthorized = () => new AwsError('UnauthorizedException', 'Session token not found or invalid', 401);
// Not in the model, but what AWS answers for an account or role the user is not assigned
// (`ForbiddenException … GetRoleCredentials operation: No access`, e.g. aws/aws-sam-cli#2129).
const noAccess = () => new AwsError('ForbiddenException', 'No access', 403);

/** The demo assigns every permission set in its one account to its one user. */
function assignedSets(session: PortalSession, accountId: string | null): readonly PermissionSet[] {
  return session.user === demoSsoUser && accountId === demoSsoAccountId ? demoPermissionSets : [];
}

/** next_token is the offset of the next page; max_result caps the page. */
function page<T>(items: readonly T[], query: URLSearchParams): { items: T[]; nextToken?: string } {
  const start = Number(query.get('next_token') ?? '0');
  const max = Number(query.get('max_result') ?? '100');
  if (!Number.isInteger(start) || start < 0 || !Number.isInteger(max) || max < 1 || max > 100)
    throw new AwsError('InvalidRequestException', 'Invalid next_token or max_result');
  const slice = items.slice(start, start + max);
  return { items: slice, nextToken: start + max < items.length ? String(start + max) : undefined };
}

/** https://docs.aws.amazon.com/singlesignon/latest/PortalAPIReference/API_GetRoleCredentials.html */
function roleCredentials(target: PortalTarget, session: PortalSession, req: PortalRequest): ServiceResponse {
  const roleName = req.query.get('role_name');
  const accountId = req.query.get('account_id');
  if (!roleName || !accountId) throw new AwsError('InvalidRequestException', 'role_name and account_id are required');
  const set = assignedSets(session, accountId).find((s) => s.name === roleName);
  if (!set) throw noAccess();
  const ssoIdentity = target.identities.find((i) => i.name === 'sso');
  const template = ssoIdentity ? target.state.credentials.get(ssoIdentity.accessKeyId) : undefined;
  if (!template) throw new AwsError('InternalServerException', 'The demo sso identity is missing', 500);
  const expiresAt = req.now + set.sessionDurationSeconds * 1000;
  const principal: Principal = {
    ...template.principal,
    accessKeyId: randomId('ASIA'),
    accountId,
    arn: `arn:aws:sts::${accountId}:assumed-role/${set.roleName}/${session.user}`,
    userId: `${derivedId('AROA', `demo-role:${set.roleName}`, 21)}:${session.user}`,
    permissions: set.permissions ?? template.principal.permissions,
    roleArn: permissionSetRoleArn(set, accountId),
    expiresAt,
  };
  const record: CredentialRecord = {
    accessKeyId: principal.accessKeyId,
    secretAccessKey: randomSecret(),
    sessionToken: randomSessionToken(),
    principal,
    mfaSerial: template.mfaSerial,
  };
  target.state.credentials.set(record.accessKeyId, record);
  // expiration is epoch milliseconds (ExpirationTimestampType).
  return ok(
    {
      roleCredentials: {
        accessKeyId: record.accessKeyId,
        secretAccessKey: record.secretAccessKey,
        sessionToken: record.sessionToken,
        expiration: expiresAt,
      },
    },
    req.requestId,
  );
}

function route(target: PortalTarget, session: PortalSession, req: PortalRequest): ServiceResponse {
  switch (`${req.method} ${req.path}`) {
    // https://docs.aws.amazon.com/singlesignon/latest/PortalAPIReference/API_ListAccounts.html
    case 'GET /assignment/accounts': {
      const accounts =
        session.user === demoSsoUser
          ? [{ accountId: demoSsoAccountId, accountName: demoSsoAccountName, emailAddress: 'aws-demo@example.com' }]
          : [];
      const { items, nextToken } = page(accounts, req.query);
      return ok({ accountList: items, nextToken }, req.requestId);
    }
    // https://docs.aws.amazon.com/singlesignon/latest/PortalAPIReference/API_ListAccountRoles.html
    case 'GET /assignment/roles': {
      const accountId = req.query.get('account_id');
      if (!accountId) throw new AwsError('InvalidRequestException', 'account_id is required');
      const sets = assignedSets(session, accountId);
      if (sets.length === 0) throw noAccess();
      const { items, nextToken } = page(
        sets.map((s) => ({ roleName: s.name, accountId })),
        req.query,
      );
      return ok({ roleList: items, nextToken }, req.requestId);
    }
    case 'GET /federation/credentials':
      return roleCredentials(target, session, req);
    // "Removes the locally stored SSO tokens from the client-side cache and sends an API call to
    // the IAM Identity Center service to invalidate the corresponding server-side IAM Identity
    // Center sign in session." https://docs.aws.amazon.com/singlesignon/latest/PortalAPIReference/API_Logout.html
    case 'POST /logout':
      revokeSession(session);
      return ok(undefined, req.requestId);
    default:
      throw new AwsError('InvalidRequestException', `No portal operation ${req.method} ${req.path}`);
  }
}

export function handlePortal(target: PortalTarget, req: PortalRequest): ServiceResponse {
  try {
    const session = sessionOfAccessToken(target.store, req.headers['x-amz-sso_bearer_token'], req.now);
    if (!session) throw unauthorized();
    return route(target, session, req);
  } catch (error) {
    if (error instanceof AwsError) return portalError(error, req.requestId);
    throw error;
  }
}
