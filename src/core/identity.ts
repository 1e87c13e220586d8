// Who the caller is, from STS GetCallerIdentity with the base credentials.
import { type STSClient } from '@aws-sdk/client-sts';
import { type IdentityResult } from './accessState';
import { parseArn } from './arn';
import { InfraWatchError, fromAwsError } from './errors';
import { loadAwsSdk } from './loadAwsSdk';
import { isLoginSessionError, toLoginSessionError } from './loginSession';
import { identityCenterRolePrefix, type IdentityKind } from './policy/mfa';

/** `profile`: the profile in force, for the advice when it is an `aws login` profile whose sign-in has ended. */
export async function fetchIdentity(sts: STSClient, context: { profile?: string } = {}): Promise<IdentityResult> {
  try {
    const { GetCallerIdentityCommand } = await loadAwsSdk();
    const out = await sts.send(new GetCallerIdentityCommand({}));
    if (!out.Arn || !out.Account) {
      return { kind: 'failed', error: new InfraWatchError('Unknown', 'Identifying you failed: STS returned no ARN') };
    }
    return { kind: 'ok', identity: { arn: out.Arn, account: out.Account, userId: out.UserId ?? '' } };
  } catch (error) {
    if (isLoginSessionError(error)) return { kind: 'noCredentials', error: toLoginSessionError(context.profile) };
    const mapped = fromAwsError(error, 'Identifying you');
    if (isMissingCredentials(error)) return { kind: 'noCredentials', error: mapped };
    return { kind: 'failed', error: mapped };
  }
}

/** The SDK's credential chain found nothing (or an unknown profile): a set-up problem, not an AWS refusal. */
function isMissingCredentials(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name;
  return name === 'CredentialsProviderError' || name === 'ProviderError';
}

/**
 * The kind of identity an ARN names, which decides how a grant's MFA is met (policy/mfa.ts):
 * an IAM user (or the root user: long-term credentials); an Identity Center session, a role
 * session of an AWSReservedSSO_<permission set>_<id> role; or any other role or federated
 * session, which covers SAML federation: its ARN cannot tell SAML from other role sessions,
 * and none of them has an MFA device of its own to present at AssumeRole.
 */
export function getIdentityKind(arn: string): IdentityKind {
  const parsed = parseArn(arn);
  if (!parsed) return 'iamUser';
  if (parsed.service === 'iam')
    return parsed.resource.startsWith('role/') ? roleKind(parsed.resource.split('/').pop() ?? '') : 'iamUser';
  if (parsed.resource.startsWith('assumed-role/')) return roleKind(parsed.resource.split('/')[1] ?? '');
  return 'saml';
}

function roleKind(roleName: string): IdentityKind {
  return roleName.startsWith(identityCenterRolePrefix) ? 'identityCenter' : 'saml';
}
