// The inline session policy sent with AssumeRole: the catalog's actions for one service and
// level, scoped to the grant's resource patterns. The session gets the intersection of the
// role's permissions and this policy, so it is what scopes a session to "RDS read".
// With patterns (rule and reasons in actionSplit.ts), the policy allows the level on "*" and
// denies, except on the patterns, every action of the level that is not account-wide:
//   Allow <level's actions> on "*"; Deny <resource-scoped actions> on NotResource <patterns>.
// That says exactly what an allow-list of hundreds of actions would say, in a few dozen
// wildcards, so even "EC2 admin on instance/i-0prod*" fits AWS's 2,048 characters.
import { type AccessLevel, getActions, getService, type ServiceId } from '../catalog';
import { type CompactStyle, compactActions } from './actionCompact';
import { splitActions, patternFitsService } from './actionSplit';
import { checkPolicyText, policyMaxChars } from './rules';
import { StsError } from './stsError';

export interface SessionStatement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
}

/** InfraWatch's own calls with a session's credentials need no extra actions (for now). */
const ownActions: readonly string[] = [];

function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

/** Drops actions another wildcard in the list already covers (`rds:*` makes `rds:Describe*` redundant). */
function withoutCovered(actions: readonly string[]): string[] {
  const unique = [...new Set(actions)];
  const wildcards = unique.filter((a) => /[*?]/.test(a)).map((a) => ({ action: a, re: globToRegExp(a) }));
  return unique.filter((a) => !wildcards.some((w) => w.action !== a && w.re.test(a)));
}

function listOrOne(values: string[]): string | string[] {
  return values.length === 1 ? (values[0] as string) : values;
}

/** The grant's patterns, deduplicated in grant order; `["*"]` when it has none or `*`. */
function patternsOf(resources: readonly string[]): string[] {
  return resources.length === 0 || resources.includes('*') ? ['*'] : [...new Set(resources)];
}

function checkPatternsFit(service: ServiceId, patterns: readonly string[]): void {
  const unfit = patterns.filter((pattern) => !patternFitsService(service, pattern));
  if (unfit.length === 0) return;
  const spec = getService(service);
  throw new StsError(
    'Validation',
    `The resource pattern ${unfit.join(', ')} names no ${spec.displayName} resource: no ${spec.displayName} action accepts an ARN of that shape. Fix the grant's resources in the access policy, e.g. ${spec.arnExample}`,
    'fixPolicy',
  );
}

function scopedStatements(
  service: ServiceId,
  level: AccessLevel,
  patterns: string[],
  style: CompactStyle,
): SessionStatement[] {
  const levelActions = withoutCovered([...getActions(service, level), ...ownActions]);
  const split = splitActions(service, level, patterns);
  const accountWide = new Set(split.anyResource.map((a) => a.action));
  const scoped = [...split.byPattern.values()].flat().map((a) => a.action);
  const scopedOrLeftOut = [...new Set([...scoped, ...split.leftOut.map((a) => a.action)])];
  if (scopedOrLeftOut.length === 0) return [{ Effect: 'Allow', Action: listOrOne(levelActions), Resource: '*' }];
  if (accountWide.size === 0)
    return [{ Effect: 'Allow', Action: listOrOne(levelActions), Resource: listOrOne(patterns) }];
  // Wildcards in the Deny may cover actions outside the level (never allowed anyway), not account-wide ones.
  const deny = withoutCovered(
    compactActions({ allow: scopedOrLeftOut, forbidden: [...accountWide], preferred: [], style }),
  );
  return [
    { Effect: 'Allow', Action: listOrOne(levelActions), Resource: '*' },
    { Effect: 'Deny', Action: listOrOne(deny), NotResource: listOrOne(patterns) },
  ];
}

function toText(statements: SessionStatement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/**
 * The statements for a grant. Throws (Validation, fixPolicy) when a pattern names no resource
 * of the service. Prefers wildcards that end at a word (`ec2:Create*`) and falls back to
 * shorter ones (`ec2:C*`) only when the policy would not fit AWS's limit otherwise.
 */
export function buildSessionStatements(
  service: ServiceId,
  level: AccessLevel,
  resources: readonly string[] = ['*'],
): SessionStatement[] {
  const patterns = patternsOf(resources);
  if (patterns[0] === '*')
    return [
      {
        Effect: 'Allow',
        Action: listOrOne(withoutCovered([...getActions(service, level), ...ownActions])),
        Resource: '*',
      },
    ];
  // A grant asks for the same policy every time: remembered, so a request costs microseconds.
  const key = JSON.stringify([service, level, patterns]);
  const known = remembered.get(key);
  if (known) return structuredClone(known);
  checkPatternsFit(service, patterns);
  const words = scopedStatements(service, level, patterns, 'words');
  const statements =
    [...toText(words)].length <= policyMaxChars ? words : scopedStatements(service, level, patterns, 'letters');
  if (remembered.size >= 200) remembered.clear();
  remembered.set(key, statements);
  return structuredClone(statements);
}

const remembered = new Map<string, SessionStatement[]>();

/**
 * Compact, deterministic JSON: catalog order for allowed actions, grant order for
 * resources, duplicates and covered entries removed; `*` alone when any pattern is `*`.
 * May exceed AWS's limit (too many patterns): checkSessionPolicy says what to change.
 */
export function buildSessionPolicy(
  service: ServiceId,
  level: AccessLevel,
  resources: readonly string[] = ['*'],
): string {
  return toText(buildSessionStatements(service, level, resources));
}

/** Throws when AWS would refuse the policy; the message says what to change. */
export function checkSessionPolicy(policy: string, resourceCount?: number): void {
  const problem = checkPolicyText(policy, resourceCount);
  if (problem !== undefined) throw new StsError('Validation', problem, 'fixPolicy');
}
