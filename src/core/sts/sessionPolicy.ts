// The inline session policy sent with AssumeRole: the catalog's actions for one service and
// level on the grant's resources, nothing else. The session gets the intersection of the
// role's permissions and this policy, so it is what scopes a session to "RDS read".
import { type AccessLevel, getActions, type ServiceId } from '../catalog';
import { checkPolicyText } from './rules';
import { StsError } from './stsError';

/** InfraWatch's own calls with a session's credentials need no extra actions (for now). */
const ownActions: readonly string[] = [];

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
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

/**
 * Compact, deterministic JSON: catalog order for actions, grant order for resources,
 * duplicates and covered entries removed; `*` alone when any pattern is `*`.
 */
export function buildSessionPolicy(service: ServiceId, level: AccessLevel, resources: readonly string[] = ['*']): string {
  const actions = withoutCovered([...getActions(service, level), ...ownActions]);
  const patterns = resources.length === 0 || resources.includes('*') ? ['*'] : [...new Set(resources)];
  const statement = { Effect: 'Allow', Action: listOrOne(actions), Resource: listOrOne(patterns) };
  return JSON.stringify({ Version: '2012-10-17', Statement: [statement] });
}

/** Throws when AWS would refuse the policy; the message says what to change. */
export function checkSessionPolicy(policy: string, resourceCount?: number): void {
  const problem = checkPolicyText(policy, resourceCount);
  if (problem !== undefined) throw new StsError('Validation', problem, 'fixPolicy');
}
