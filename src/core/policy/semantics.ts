// Rules a schema cannot express: references between roles, accounts and assignments. They run
// on the raw value even when the schema found problems, so an admin sees every problem in one
// pass; each check skips values of the wrong shape (the schema already reports those).
import { catalog, isServiceId } from '../catalog';
import { type PathSegment, type RawProblem } from './jsonText';
import { defaultSessionMinutes } from './schema';
import { createSuggester } from './suggest';

type Obj = Record<string, unknown>;

const isObj = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);
const entriesOf = (value: unknown): Array<[string, unknown]> => (isObj(value) ? Object.entries(value) : []);
const itemsOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const field = (value: unknown, key: string): unknown =>
  isObj(value) && Object.hasOwn(value, key) ? value[key] : undefined;

export function getSemanticProblems(root: unknown): RawProblem[] {
  if (!isObj(root)) return [];
  const roles = isObj(field(root, 'roles')) ? (field(root, 'roles') as Obj) : {};
  const accountIds = itemsOf(field(root, 'accounts')).map((a) => field(a, 'id'));
  const unknownRole = describeUnknownRole(roles);
  return [
    ...checkAccounts(accountIds),
    ...checkInherits(roles, unknownRole),
    ...checkLoops(roles),
    ...checkRoleArns(
      roles,
      accountIds.filter((id): id is string => typeof id === 'string'),
    ),
    ...checkGrants(roles),
    ...checkAssignments(field(root, 'assignments'), roles, unknownRole),
  ];
}

/** One suggester per check, so a policy naming thousands of unknown roles costs a bounded search. */
function describeUnknownRole(roles: Obj): (name: string) => string {
  const names = Object.keys(roles);
  const listed = names.length > 10 ? `${names.slice(0, 10).join(', ')}, …` : names.join(', ');
  const suggester = createSuggester(names);
  return (name) => {
    const suggestion = suggester.suggest(name);
    return `unknown role "${name}"${suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`}; defined roles: ${listed || 'none'}`;
  };
}

function checkAccounts(ids: unknown[]): RawProblem[] {
  const firstAt = new Map<string, number>();
  const problems: RawProblem[] = [];
  ids.forEach((id, i) => {
    if (typeof id !== 'string') return;
    const first = firstAt.get(id);
    if (first === undefined) firstAt.set(id, i);
    else
      problems.push({
        path: ['accounts', i, 'id'],
        message: `account ${id} is listed twice (also accounts[${first}])`,
      });
  });
  return problems;
}

function checkInherits(roles: Obj, unknownRole: (name: string) => string): RawProblem[] {
  return entriesOf(roles).flatMap(([name, role]): RawProblem[] => {
    const parent = field(role, 'inherits');
    if (typeof parent !== 'string' || Object.hasOwn(roles, parent)) return [];
    return [{ path: ['roles', name, 'inherits'], message: unknownRole(parent) }];
  });
}

/** One problem per loop, reported on the loop's first role in document order. Linear: each role is walked once. */
function checkLoops(roles: Obj): RawProblem[] {
  const parentOf = (name: string): string | undefined => {
    const parent = field(roles[name], 'inherits');
    return typeof parent === 'string' && Object.hasOwn(roles, parent) ? parent : undefined;
  };
  const order = Object.keys(roles);
  const position = new Map(order.map((name, i) => [name, i]));
  const settled = new Set<string>();
  const problems: RawProblem[] = [];
  for (const start of order) {
    const trail: string[] = [];
    const onTrail = new Set<string>();
    let current: string | undefined = start;
    while (current !== undefined && !settled.has(current) && !onTrail.has(current)) {
      trail.push(current);
      onTrail.add(current);
      current = parentOf(current);
    }
    if (current !== undefined && onTrail.has(current)) {
      const loop = trail.slice(trail.indexOf(current));
      const first = loop.reduce((a, b) => (position.get(b)! < position.get(a)! ? b : a));
      const at = loop.indexOf(first);
      const rotated = [...loop.slice(at), ...loop.slice(0, at), first];
      problems.push({
        path: ['roles', first, 'inherits'],
        message: `inheritance loop: ${rotated.join(' → ')}; a role cannot inherit from itself or from a role that inherits from it`,
      });
    }
    trail.forEach((name) => settled.add(name));
  }
  return problems;
}

function checkRoleArns(roles: Obj, accountIds: string[]): RawProblem[] {
  const known = new Set(accountIds);
  return entriesOf(roles).flatMap(([name, role]) =>
    entriesOf(field(role, 'roleArns')).flatMap(([account, arn]): RawProblem[] => {
      const path: PathSegment[] = ['roles', name, 'roleArns', account];
      if (!known.has(account)) {
        return [
          {
            path,
            at: 'key',
            message: `account ${account} is not listed in "accounts"; add it there or remove this role ARN`,
          },
        ];
      }
      const arnAccount = typeof arn === 'string' ? /^arn:[^:]+:iam::(\d{12}):/.exec(arn)?.[1] : undefined;
      if (arnAccount === undefined || arnAccount === account) return [];
      return [{ path, message: `this role ARN is in account ${arnAccount} but is listed under account ${account}` }];
    }),
  );
}

function checkGrants(roles: Obj): RawProblem[] {
  return entriesOf(roles).flatMap(([name, role]) => {
    const firstAt = new Map<string, number>();
    return itemsOf(field(role, 'grants')).flatMap((grant, i): RawProblem[] => {
      const path: PathSegment[] = ['roles', name, 'grants', i];
      const service = field(grant, 'service');
      const problems = [...checkMinutes(grant, path), ...checkResourceServices(grant, path)];
      if (typeof service !== 'string') return problems;
      const first = firstAt.get(service);
      if (first === undefined) firstAt.set(service, i);
      else {
        problems.unshift({
          path: [...path, 'service'],
          message: `role "${name}" already has a grant for ${service} (grants[${first}]); list all its levels in that one grant`,
        });
      }
      return problems;
    });
  });
}

function checkMinutes(grant: unknown, path: PathSegment[]): RawProblem[] {
  const given = field(grant, 'defaultMinutes');
  const max = field(grant, 'maxMinutes');
  const effectiveMax = max === undefined ? defaultSessionMinutes : max;
  if (typeof given !== 'number' || typeof effectiveMax !== 'number' || given <= effectiveMax) return [];
  const which = max === undefined ? `maxMinutes (${effectiveMax}, the default)` : `maxMinutes (${effectiveMax})`;
  return [
    {
      path: [...path, 'defaultMinutes'],
      message: `defaultMinutes (${given}) is more than ${which}; lower it or raise maxMinutes`,
    },
  ];
}

/** The ARN service prefix of a catalog service, e.g. alb → elasticloadbalancing. */
export function getArnService(service: string): string | undefined {
  return isServiceId(service) ? catalog[service].actions.read[0]!.split(':')[0] : undefined;
}

function checkResourceServices(grant: unknown, path: PathSegment[]): RawProblem[] {
  const expected = getArnService(String(field(grant, 'service')));
  if (expected === undefined) return [];
  return itemsOf(field(grant, 'resources')).flatMap((resource, k): RawProblem[] => {
    const arnService = typeof resource === 'string' ? resource.split(':')[2] : undefined;
    if (!arnService || /[*?]/.test(arnService) || arnService === expected) return [];
    return [
      {
        path: [...path, 'resources', k],
        message: `this is an ${arnService} ARN but the grant is for ${String(field(grant, 'service'))}; expected arn:<partition>:${expected}:…`,
      },
    ];
  });
}

function checkAssignments(assignments: unknown, roles: Obj, unknownRole: (name: string) => string): RawProblem[] {
  return itemsOf(assignments).flatMap((assignment, i): RawProblem[] => {
    const role = field(assignment, 'role');
    if (typeof role !== 'string' || Object.hasOwn(roles, role)) return [];
    return [{ path: ['assignments', i, 'role'], message: unknownRole(role) }];
  });
}
