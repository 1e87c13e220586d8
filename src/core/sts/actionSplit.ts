// Which of a level's actions a grant scoped to resource patterns allows, and on what.
// AWS's Service Authorization Reference lists per action the resource types it accepts; an
// action that accepts none must be allowed on "*" or not at all
// (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html#actions_table).
// The rule, for a grant "<level> on these patterns":
// - On "*": List and Read actions that accept no resource (DescribeInstances, ListFunctions),
//   and List actions whose resource types are all optional (rds:DescribeDBInstances): called
//   without naming a resource, AWS evaluates them against "*" or a wildcard ARN such as
//   `db:*` that no narrower pattern matches. They show what exists, never its content.
// - On the patterns: every other action of the level with a resource type a pattern fits.
// - Left out: Write, Tagging and Permissions management actions that accept no resource
//   (they act on the account or create new things, beyond the named resources), and actions
//   whose resource types no pattern fits (they act only on other kinds of resources).
import { patternFitsArnFormat } from '../arnFit';
import { type AccessLevel, catalog, getActions, type ServiceId } from '../catalog';
import { expandAction, type IamAction } from '../iamActions';

export interface ActionSplit {
  /** Concrete actions allowed on "*". */
  anyResource: IamAction[];
  /** Per pattern (grant order), the concrete actions allowed on it beyond `anyResource`. */
  byPattern: Map<string, IamAction[]>;
  /** Actions of the level the patterns leave out. */
  leftOut: IamAction[];
}

function acceptsNoResource(action: IamAction): boolean {
  return action.resourceTypes.length === 0;
}

function isAccountWide(action: IamAction, keepScoped: ReadonlySet<string>): boolean {
  if (keepScoped.has(action.action.toLowerCase())) return false;
  if (acceptsNoResource(action)) return action.level === 'L' || action.level === 'R';
  return action.level === 'L' && action.resourceTypes.every((t) => !t.required);
}

/** Pattern × ARN format answers: the same formats recur across hundreds of actions. */
const fitCache = new Map<string, boolean>();

function fitsFormat(pattern: string, format: string): boolean {
  const key = `${pattern}\n${format}`;
  let answer = fitCache.get(key);
  if (answer === undefined) {
    answer = patternFitsArnFormat(pattern, format);
    if (fitCache.size >= 20_000) fitCache.clear();
    fitCache.set(key, answer);
  }
  return answer;
}

function fits(action: IamAction, pattern: string): boolean {
  return action.resourceTypes.some((type) => type.arns.some((arn) => fitsFormat(pattern, arn)));
}

/** The concrete actions of a level, once each, in name order. */
export function getLevelActions(service: ServiceId, level: AccessLevel): IamAction[] {
  const byName = new Map<string, IamAction>();
  for (const entry of getActions(service, level))
    for (const action of expandAction(entry)) byName.set(action.action, action);
  return [...byName.values()].sort((a, b) => (a.action < b.action ? -1 : 1));
}

export function splitActions(service: ServiceId, level: AccessLevel, patterns: readonly string[]): ActionSplit {
  const keepScoped = new Set(Object.keys(catalog[service].keepScoped ?? {}).map((a) => a.toLowerCase()));
  const split: ActionSplit = { anyResource: [], byPattern: new Map(patterns.map((p) => [p, []])), leftOut: [] };
  for (const action of getLevelActions(service, level)) {
    if (isAccountWide(action, keepScoped)) {
      split.anyResource.push(action);
      continue;
    }
    const on = patterns.filter((pattern) => fits(action, pattern));
    for (const pattern of on) split.byPattern.get(pattern)?.push(action);
    if (on.length === 0) split.leftOut.push(action);
  }
  return split;
}

/** Whether a pattern can name a resource any action of the service accepts. */
export function patternFitsService(service: ServiceId, pattern: string): boolean {
  return getLevelActions(service, 'admin').some((action) => fits(action, pattern));
}
