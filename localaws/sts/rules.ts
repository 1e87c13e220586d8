// The parameter rules of STS AssumeRole (localaws/README.md, STS), with AWS's own error codes and
// wording: member constraints are reported together as "N validation error(s) detected:
// Value '…' at '<member>' failed to satisfy constraint: …", as AWS does.

import { deflateRawSync } from 'node:zlib';
import { readMemberList, readScalarList } from '../server/protocol';
import { AwsError } from '../server/types';

export interface AssumeRoleInput {
  roleArn?: string;
  roleSessionName?: string;
  /** Raw text of DurationSeconds (undefined when absent: the default, 3600, applies). */
  durationSeconds?: string;
  policy?: string;
  policyArns: string[];
  serialNumber?: string;
  tokenCode?: string;
  sourceIdentity?: string;
  tags: { Key: string; Value: string }[];
  transitiveTagKeys: string[];
}

export function readAssumeRoleInput(params: Record<string, string>): AssumeRoleInput {
  return {
    roleArn: params.RoleArn,
    roleSessionName: params.RoleSessionName,
    durationSeconds: params.DurationSeconds,
    policy: params.Policy,
    policyArns: readMemberList(params, 'PolicyArns')
      .map((p) => p.arn ?? '')
      .concat(readScalarList(params, 'PolicyArns').filter(Boolean)),
    serialNumber: params.SerialNumber,
    tokenCode: params.TokenCode,
    sourceIdentity: params.SourceIdentity,
    tags: readMemberList(params, 'Tags').map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' })),
    transitiveTagKeys: readScalarList(params, 'TransitiveTagKeys'),
  };
}

const namePattern = /^[\w+=,.@-]*$/;
const serialPattern = /^[\w+=/:,.@-]*$/;
const tagKeyPattern = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;
const tagValuePattern = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

interface StringRule {
  member: string;
  min?: number;
  max?: number;
  pattern?: RegExp;
  patternText?: string;
  required?: boolean;
}

function checkString(value: string | undefined, rule: StringRule, out: string[]): void {
  const at = `at '${rule.member}' failed to satisfy constraint: Member must`;
  if (value === undefined) {
    if (rule.required) out.push(`Value null ${at} not be null`);
    return;
  }
  const length = [...value].length;
  if (rule.min !== undefined && length < rule.min)
    out.push(`Value '${value}' ${at} have length greater than or equal to ${rule.min}`);
  if (rule.max !== undefined && length > rule.max)
    out.push(`Value '${value}' ${at} have length less than or equal to ${rule.max}`);
  if (rule.pattern && !rule.pattern.test(value))
    out.push(`Value '${value}' ${at} satisfy regular expression pattern: ${rule.patternText}`);
}

function checkDuration(raw: string | undefined, out: string[]): void {
  if (raw === undefined) return;
  const value = Number(raw);
  const at = `at 'durationSeconds' failed to satisfy constraint: Member must`;
  if (!Number.isInteger(value) || value < 900) out.push(`Value '${raw}' ${at} have value greater than or equal to 900`);
  else if (value > 43200) out.push(`Value '${raw}' ${at} have value less than or equal to 43200`);
}

function checkTags(tags: AssumeRoleInput['tags'], out: string[]): void {
  if (tags.length > 50)
    out.push(
      `Value '[${tags.map((t) => t.Key).join(', ')}]' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50`,
    );
  tags.forEach((tag, i) => {
    checkString(
      tag.Key,
      {
        member: `tags.${i + 1}.member.key`,
        min: 1,
        max: 128,
        pattern: tagKeyPattern,
        patternText: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+',
      },
      out,
    );
    checkString(
      tag.Value,
      {
        member: `tags.${i + 1}.member.value`,
        max: 256,
        pattern: tagValuePattern,
        patternText: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*',
      },
      out,
    );
  });
}

function checkTransitiveKeys(keys: string[], out: string[]): void {
  if (keys.length > 50)
    out.push(
      `Value '[${keys.join(', ')}]' at 'transitiveTagKeys' failed to satisfy constraint: Member must have length less than or equal to 50`,
    );
  keys.forEach((key, i) =>
    checkString(
      key,
      {
        member: `transitiveTagKeys.${i + 1}.member`,
        min: 1,
        max: 128,
        pattern: tagKeyPattern,
        patternText: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+',
      },
      out,
    ),
  );
}

function validationError(problems: string[]): AwsError {
  const count = `${problems.length} validation error${problems.length === 1 ? '' : 's'} detected: `;
  return new AwsError('ValidationError', count + problems.join('; '));
}

/** Member constraints, reported together; then the rules AWS states in words. */
export function validateAssumeRoleInput(input: AssumeRoleInput): void {
  // Checked first: the member pattern would reject the colon with a vaguer message.
  if (input.sourceIdentity?.toLowerCase().startsWith('aws:')) {
    throw new AwsError(
      'ValidationError',
      `Invalid SourceIdentity: '${input.sourceIdentity}'. The prefix 'aws:' is reserved for AWS internal use.`,
    );
  }
  const problems: string[] = [];
  checkString(input.roleArn, { member: 'roleArn', min: 20, max: 2048, required: true }, problems);
  checkString(
    input.roleSessionName,
    { member: 'roleSessionName', min: 2, max: 64, pattern: namePattern, patternText: '[\\w+=,.@-]*', required: true },
    problems,
  );
  checkDuration(input.durationSeconds, problems);
  checkString(input.policy, { member: 'policy', min: 1, max: 2048 }, problems);
  checkString(
    input.serialNumber,
    { member: 'serialNumber', min: 9, max: 256, pattern: serialPattern, patternText: '[\\w+=/:,.@-]*' },
    problems,
  );
  checkString(
    input.tokenCode,
    { member: 'tokenCode', min: 6, max: 6, pattern: /^\d*$/, patternText: '[\\d]*' },
    problems,
  );
  checkString(
    input.sourceIdentity,
    { member: 'sourceIdentity', min: 2, max: 64, pattern: namePattern, patternText: '[\\w+=,.@-]*' },
    problems,
  );
  checkTags(input.tags, problems);
  checkTransitiveKeys(input.transitiveTagKeys, problems);
  if (problems.length > 0) throw validationError(problems);
  const keys = input.tags.map((t) => t.Key.toLowerCase());
  if (new Set(keys).size !== keys.length) {
    throw new AwsError('ValidationError', 'Duplicate tag keys found. Please note that Tag keys are case insensitive.');
  }
  if (keys.some((k) => k.startsWith('aws:')))
    throw new AwsError('ValidationError', "Tag keys cannot start with the reserved prefix 'aws:'.");
  // TransitiveTagKeys names "keys for session tags that you want to set as transitive" (AssumeRole
  // API reference), so each must be a key passed in Tags. AWS does not publish this error's
  // wording; the code is the one STS uses for a parameter value it refuses.
  const stray = input.transitiveTagKeys.find((k) => !keys.includes(k.toLowerCase()));
  if (stray !== undefined)
    throw new AwsError(
      'InvalidParameterValue',
      `The transitive tag key '${stray}' is not one of the session tags passed in Tags.`,
    );
  if (!/^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(input.roleArn as string))
    throw new AwsError('ValidationError', 'Request ARN is invalid');
}

/** The session length AssumeRole grants: DurationSeconds, or AWS's default of one hour. */
export function requestedDuration(input: AssumeRoleInput): number {
  return input.durationSeconds === undefined ? 3600 : Number(input.durationSeconds);
}

/** Duration rules that depend on the role and the caller (checked once the role is known). */
export function checkDurationForRole(duration: number, maxSessionDuration: number, callerIsRoleSession: boolean): void {
  if (callerIsRoleSession && duration > 3600) {
    throw new AwsError(
      'ValidationError',
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    );
  }
  if (duration > maxSessionDuration) {
    throw new AwsError(
      'ValidationError',
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    );
  }
}

/**
 * A model of STS's packed size (its real packing is not published): the session policy,
 * without insignificant whitespace, plus managed policy ARNs and the tags, deflated, as a
 * percentage of a fixed allotment. Ordinary requests land in single digits; 50 long,
 * random tags or a dense policy plus many tags exceed 100 %.
 */
export const packedPolicyAllotmentBytes = 4096;

export function packedPolicySize(
  policy: string | undefined,
  tags: AssumeRoleInput['tags'],
  policyArns: string[] = [],
): number {
  const compactPolicy = policy === undefined ? '' : JSON.stringify(JSON.parse(policy));
  const packed = [compactPolicy, ...policyArns, ...tags.map((t) => `${t.Key}=${t.Value}`)].join('\n');
  if (packed.length === 0) return 0;
  return Math.ceil((deflateRawSync(packed, { level: 9 }).length * 100) / packedPolicyAllotmentBytes);
}

export function checkPackedSize(percent: number): void {
  if (percent > 100) {
    throw new AwsError(
      'PackedPolicyTooLarge',
      `Packed policy consumes ${percent}% of allotted space, please use smaller policy for this session.`,
    );
  }
}
