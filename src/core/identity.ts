// Who the caller is, from STS GetCallerIdentity with the base credentials.
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { type IdentityResult } from './accessState';
import { InfraWatchError, fromAwsError } from './errors';

export async function fetchIdentity(sts: STSClient): Promise<IdentityResult> {
  try {
    const out = await sts.send(new GetCallerIdentityCommand({}));
    if (!out.Arn || !out.Account) {
      return { kind: 'failed', error: new InfraWatchError('Unknown', 'Identifying you failed: STS returned no ARN') };
    }
    return { kind: 'ok', identity: { arn: out.Arn, account: out.Account, userId: out.UserId ?? '' } };
  } catch (error) {
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
