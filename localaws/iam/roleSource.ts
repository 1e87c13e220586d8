// Where the endpoint's roles come from: the hand-written demo roles, the IAM kit's template for
// demo/policy.json, or any CloudFormation template (startLocalAws `roles`, POST /_localaws/roles).

import { createDemoRoles, type DemoIdentity } from './identities';
import { kitRoles } from './kitRoles';
import type { LocalAwsState, RoleDefinition } from '../server/state';
import { loadRolesFromTemplate } from './templateRoles';

export type RoleSource = 'demo' | 'kit' | { template: unknown };

/** Replaces every role in `state` with those of `source`. */
export function replaceRoles(
  state: LocalAwsState,
  identities: readonly DemoIdentity[],
  source: RoleSource,
): RoleDefinition[] {
  const roles =
    source === 'demo'
      ? createDemoRoles(identities)
      : source === 'kit'
        ? kitRoles(state.accountId)
        : loadRolesFromTemplate(source.template, state.accountId);
  state.roles.clear();
  for (const role of roles) state.roles.set(role.arn, role);
  return roles;
}

/** The control API's body → a role source, or `{ error }` saying what is wrong with it. */
export function roleSourceOf(input: Record<string, unknown>): RoleSource | { error: string } {
  if (input.template !== undefined) return { template: input.template };
  if (input.kit === true) return 'kit';
  if (input.demo === true) return 'demo';
  return { error: 'roles needs {"template": <CloudFormation template>} or {"kit": true} or {"demo": true}' };
}
