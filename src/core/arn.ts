// ARN parsing for the caller identities GetCallerIdentity returns.

export interface CallerIdentity {
  arn: string;
  account: string;
  userId: string;
}

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

const arnPattern = /^arn:(aws[a-z-]*):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|aws)?:(.+)$/;

export function parseArn(arn: string): ParsedArn | undefined {
  const m = arnPattern.exec(arn);
  if (!m) return undefined;
  return { partition: m[1]!, service: m[2]!, region: m[3]!, account: m[4] ?? '', resource: m[5]! };
}

/** The IAM user name of a user ARN (`user/path/name` → name), else undefined. */
export function getUserName(arn: string): string | undefined {
  const parsed = parseArn(arn);
  if (parsed?.service !== 'iam' || !parsed.resource.startsWith('user/')) return undefined;
  return parsed.resource.split('/').pop();
}

/**
 * Whether the caller is itself a role session (an assumed role, SSO or chained role).
 * AWS caps sessions assumed from such credentials at one hour (role chaining).
 */
export function isRoleSession(arn: string): boolean {
  const parsed = parseArn(arn);
  return parsed?.service === 'sts' && parsed.resource.startsWith('assumed-role/');
}

/** A short name for people: the user name, or `role/session` for role sessions. */
export function getDisplayName(arn: string): string {
  const parsed = parseArn(arn);
  if (!parsed) return arn;
  const parts = parsed.resource.split('/');
  if (parsed.service === 'sts' && parts[0] === 'assumed-role') return `${parts[2] ?? '?'} (${parts[1] ?? '?'})`;
  return parts[parts.length - 1] ?? arn;
}
