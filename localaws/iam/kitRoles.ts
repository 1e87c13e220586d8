// The demo's roles as the IAM kit generates them: demo/policy.json → buildIamTemplate → the
// endpoint's role records (templateRoles.ts). `roles: 'kit'` in startLocalAws uses this.

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildIamTemplate } from '../../src/core/iam/template';
import { parsePolicy } from '../../src/core/policy/parse';
import type { RoleDefinition } from '../server/state';
import { loadRolesFromTemplate } from './templateRoles';

const demoPolicyFile = path.join(__dirname, '..', '..', 'demo', 'policy.json');

/** The CloudFormation template `npm run iam` writes for the demo policy and account. */
export function kitTemplate(accountId: string, policyText = readFileSync(demoPolicyFile, 'utf8')): unknown {
  const result = parsePolicy(policyText);
  if (!result.ok)
    throw new Error(
      `demo/policy.json does not parse: ${result.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
    );
  return buildIamTemplate(result.policy, accountId);
}

export function kitRoles(accountId: string): RoleDefinition[] {
  return loadRolesFromTemplate(kitTemplate(accountId), accountId);
}
