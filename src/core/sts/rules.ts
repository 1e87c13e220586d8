// Pre-flight checks of every AssumeRole parameter rule in the STS API reference (duration,
// session name, source identity, session policy size, tags, MFA), run before the call so the user
// learns what to change instead of reading AWS's "N validation errors detected". Each check
// returns undefined when the value is fine, else one message: what is wrong, what to do.
// The quick input uses the single checks as validators; the broker runs them all.
import { catalog, getIamPrefix, serviceIds } from '../catalog';
import { chainedMaxSeconds, formatDuration, maxDurationSeconds, minDurationSeconds } from './duration';
import { type StsNextAction } from './stsError';

export type RuleResult = string | undefined;

export interface SessionTag {
  Key: string;
  Value: string;
}

export const policyMaxChars = 2_048;
export const maxTags = 50;
export const tagKeyMaxChars = 128;
export const tagValueMaxChars = 256;

const namePattern = /^[\w+=,.@-]+$/;
const nameChars = 'letters, digits and + = , . @ _ -';
const tagCharPattern = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const tagChars = 'letters, digits, spaces and _ . : / = + - @';
const roleArnPattern = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
const mfaArnPattern = /^arn:aws(-[a-z]+)*:iam::\d{12}:mfa\/([\w+=,.@-]+\/)*[\w+=,.@-]+$/;
const serialPattern = /^[\w+=/:,.@-]+$/;

function count(text: string): number {
  return [...text].length;
}

export function checkDurationSeconds(
  seconds: number,
  limits: { roleMaxSessionSeconds?: number; baseIsRoleSession?: boolean } = {},
): RuleResult {
  if (!Number.isInteger(seconds)) return `The duration must be a whole number of seconds: got ${seconds}`;
  if (seconds < minDurationSeconds)
    return `The duration is too short: AWS sessions last at least 15 minutes; choose 15 minutes or more`;
  if (seconds > maxDurationSeconds)
    return `The duration is too long: AWS sessions last at most 12 hours; choose 12 hours or less`;
  if (limits.baseIsRoleSession && seconds > chainedMaxSeconds) {
    return `${formatDuration(seconds)} is too long: your AWS credentials are themselves a role session, and AWS limits a session assumed from one to 1 hour (role chaining). Choose 1 hour or less`;
  }
  const roleMax = limits.roleMaxSessionSeconds;
  if (roleMax !== undefined && seconds > roleMax) {
    return `${formatDuration(seconds)} is too long for the IAM role: its maximum session duration (MaxSessionDuration) is ${formatDuration(roleMax)}. Choose ${formatDuration(roleMax)} or less, or ask an AWS admin to raise the role's MaxSessionDuration`;
  }
  return undefined;
}

function checkName(value: string, what: string): RuleResult {
  const length = count(value);
  if (length < 2 || length > 64) return `The ${what} must be 2–64 characters: "${value}" has ${length}`;
  if (!namePattern.test(value))
    return `The ${what} "${value}" contains characters AWS does not allow: use only ${nameChars}`;
  return undefined;
}

export function checkRoleSessionName(name: string): RuleResult {
  return checkName(name, 'role session name');
}

export function checkSourceIdentity(value: string): RuleResult {
  if (/^aws:/i.test(value))
    return `The source identity "${value}" starts with "aws:", which AWS reserves: remove the prefix`;
  return checkName(value, 'source identity');
}

/** A broader pattern for the service the policy is about (its first action's prefix). */
function examplePattern(policy: string): string {
  const prefix = /"Action":\s*\[?\s*"([a-z0-9-]+):/.exec(policy)?.[1];
  const service = serviceIds.find((id) => getIamPrefix(id) === prefix) ?? 'rds';
  return catalog[service].arnExample;
}

function isStatement(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const s = value as Record<string, unknown>;
  return (
    (s.Effect === 'Allow' || s.Effect === 'Deny') &&
    ('Action' in s || 'NotAction' in s) &&
    ('Resource' in s || 'NotResource' in s)
  );
}

/**
 * ≤ 2,048 characters of plaintext (AWS counts the text as sent; its packed form has a limit
 * of its own, reported after the call as PackedPolicySize), JSON, and statements each with
 * an Effect, an Action and a Resource or NotResource. The message names the fix.
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 */
export function checkPolicyText(policy: string, resourceCount?: number): RuleResult {
  const length = count(policy);
  if (length > policyMaxChars) {
    const many = resourceCount !== undefined && resourceCount > 1 ? ` (its ${resourceCount} resource patterns)` : '';
    return `The session policy is ${length.toLocaleString('en-US')} characters, over AWS's limit of 2,048${many}: give the grant fewer resource patterns, or a broader pattern such as ${examplePattern(policy)} instead of one per resource`;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(policy);
  } catch {
    return 'The session policy is not valid JSON: AWS would reject it as MalformedPolicyDocument. Check the grant in the access policy';
  }
  if (typeof doc !== 'object' || doc === null || !('Statement' in doc))
    return 'The session policy has no Statement: AWS would reject it as MalformedPolicyDocument';
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  if (!statements.every(isStatement))
    return 'A statement of the session policy lacks an Effect, an Action or a Resource: AWS would reject it as MalformedPolicyDocument';
  return undefined;
}

export function checkTagKey(key: string): RuleResult {
  const length = count(key);
  if (length < 1 || length > tagKeyMaxChars)
    return `The session tag key "${key}" must be 1–128 characters: it has ${length}`;
  if (!tagCharPattern.test(key))
    return `The session tag key "${key}" contains characters AWS does not allow: use only ${tagChars}`;
  if (/^aws:/i.test(key))
    return `The session tag key "${key}" starts with "aws:", which AWS reserves: choose another key`;
  return undefined;
}

/** Also the validator for the ticket id, which is sent as a tag value. */
export function checkTagValue(value: string, what = 'session tag value'): RuleResult {
  const length = count(value);
  if (length > tagValueMaxChars) return `The ${what} is ${length} characters, over AWS's limit of 256: shorten it`;
  if (!tagCharPattern.test(value))
    return `The ${what} "${value}" contains characters AWS does not allow in a session tag: use only ${tagChars}`;
  return undefined;
}

export function checkTags(tags: readonly SessionTag[]): RuleResult {
  if (tags.length > maxTags) return `${tags.length} session tags is over AWS's limit of 50: send fewer tags`;
  const seen = new Set<string>();
  for (const tag of tags) {
    const problem = checkTagKey(tag.Key) ?? checkTagValue(tag.Value, `value of session tag "${tag.Key}"`);
    if (problem) return problem;
    const folded = tag.Key.toLowerCase();
    if (seen.has(folded))
      return `The session tag key "${tag.Key}" appears twice (AWS compares keys without case): keep one`;
    seen.add(folded);
  }
  return undefined;
}

export function checkMfaSerial(serial: string): RuleResult {
  const length = count(serial);
  if (/:u2f\//.test(serial))
    return 'A FIDO security key cannot sign AWS API calls: register a virtual (authenticator app) or hardware TOTP MFA device and use its ARN';
  if (length < 9 || length > 256)
    return `The MFA device must be 9–256 characters: "${serial}" has ${length}. Use arn:aws:iam::<account>:mfa/<name> or a hardware serial`;
  if (serial.startsWith('arn:') && !mfaArnPattern.test(serial))
    return `"${serial}" is not an MFA device ARN: expected arn:aws:iam::<12-digit account>:mfa/<name>`;
  if (!serialPattern.test(serial))
    return `The MFA device "${serial}" contains characters AWS does not allow: use its ARN (arn:aws:iam::<account>:mfa/<name>) or the hardware serial`;
  return undefined;
}

/** Spaces people type between digit groups ("123 456") are not part of the code. */
export function normalizeTokenCode(input: string): string {
  return input.replace(/\s+/g, '');
}

/** Never echoes the code: it is a secret until it has been used. */
export function checkTokenCode(code: string): RuleResult {
  if (!/^\d*$/.test(code)) return 'The MFA code must be digits only: enter the 6-digit code from your authenticator';
  if (code.length !== 6) return `The MFA code must be exactly 6 digits: you entered ${code.length}`;
  return undefined;
}

export function checkRoleArn(arn: string): RuleResult {
  if (count(arn) < 20 || count(arn) > 2048 || !roleArnPattern.test(arn)) {
    return `"${arn}" is not a role ARN: fix the role's ARN for this account in the access policy (arn:aws:iam::<12-digit account>:role/<name>)`;
  }
  return undefined;
}

export type PreflightField =
  | 'roleArn'
  | 'roleSessionName'
  | 'durationSeconds'
  | 'policy'
  | 'serialNumber'
  | 'tokenCode'
  | 'sourceIdentity'
  | 'tags';

export interface PreflightProblem {
  field: PreflightField;
  message: string;
  nextAction: StsNextAction;
}

export interface PreflightInput {
  roleArn: string;
  roleSessionName: string;
  durationSeconds: number;
  policy: string;
  resourceCount?: number;
  serialNumber?: string;
  tokenCode?: string;
  sourceIdentity: string;
  tags: readonly SessionTag[];
  roleMaxSessionSeconds?: number;
  baseIsRoleSession: boolean;
}

/** Every AWS rule at once, in the order the request flow would fix them. */
export function checkAssumeRoleRequest(input: PreflightInput): PreflightProblem[] {
  const checks: [PreflightField, StsNextAction, () => RuleResult][] = [
    ['roleArn', 'fixPolicy', () => checkRoleArn(input.roleArn)],
    ['durationSeconds', 'chooseShorter', () => checkDurationSeconds(input.durationSeconds, input)],
    ['policy', 'fixPolicy', () => checkPolicyText(input.policy, input.resourceCount)],
    ['tags', 'editRequest', () => checkTags(input.tags)],
    ['roleSessionName', 'none', () => checkRoleSessionName(input.roleSessionName)],
    ['sourceIdentity', 'none', () => checkSourceIdentity(input.sourceIdentity)],
    [
      'serialNumber',
      'fixMfaSerial',
      () => (input.serialNumber === undefined ? undefined : checkMfaSerial(input.serialNumber)),
    ],
    ['tokenCode', 'reenterMfa', () => (input.tokenCode === undefined ? undefined : checkTokenCode(input.tokenCode))],
  ];
  const problems: PreflightProblem[] = [];
  for (const [field, nextAction, check] of checks) {
    const message = check();
    if (message !== undefined) problems.push({ field, message, nextAction });
  }
  if (input.tokenCode !== undefined && input.serialNumber === undefined) {
    problems.push({
      field: 'serialNumber',
      message:
        'No MFA device is known for you: set the ARN of your MFA device (arn:aws:iam::<account>:mfa/<name>) in the InfraWatch settings',
      nextAction: 'fixMfaSerial',
    });
  }
  if (input.serialNumber !== undefined && input.tokenCode === undefined) {
    problems.push({
      field: 'tokenCode',
      message: 'AWS needs the MFA code with the MFA device: enter the 6-digit code from your authenticator',
      nextAction: 'reenterMfa',
    });
  }
  return problems;
}
