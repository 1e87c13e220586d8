// The policy "InfraWatch: Create Access Policy" writes: a working start that makes the
// person creating it an admin, so they can see the result at once and then tighten it.
import { isRoleSession, parseArn } from './arn';

export function getStarterPolicy(caller?: { arn: string; account: string }, region = 'us-east-1'): string {
  const account = caller?.account ?? '111122223333';
  const role = (name: string): string => `arn:aws:iam::${account}:role/InfraWatch-${name}`;
  const policy = {
    version: 1,
    accounts: [{ id: account, name: 'main', region }],
    roles: {
      Employee: {
        description: 'Engineers: watch and read.',
        roleArns: { [account]: role('Employee') },
        grants: [
          { service: 'ec2', levels: ['read'], maxMinutes: 60, defaultMinutes: 30, mfa: true },
          { service: 'rds', levels: ['read'], maxMinutes: 60, defaultMinutes: 30, mfa: true, reason: true },
          { service: 'lambda', levels: ['read'], maxMinutes: 60, defaultMinutes: 30, mfa: true },
        ],
      },
      Manager: {
        inherits: 'Employee',
        description: 'Team leads: write access for incidents.',
        roleArns: { [account]: role('Manager') },
        grants: [{ service: 'rds', levels: ['write'], maxMinutes: 120, defaultMinutes: 60, mfa: true, reason: true }],
      },
      Admin: {
        inherits: 'Manager',
        admin: true,
        description: 'Owners of this policy.',
        roleArns: { [account]: role('Admin') },
        grants: [],
      },
    },
    assignments: caller ? [{ principal: getStablePrincipal(caller.arn), role: 'Admin' }] : [],
  };
  return `${JSON.stringify(policy, null, 2)}\n`;
}

/** A role session's ARN ends in a session name that changes; match any session of the role. */
export function getStablePrincipal(arn: string): string {
  if (!isRoleSession(arn)) return arn;
  const parsed = parseArn(arn)!;
  const roleName = parsed.resource.split('/')[1] ?? '*';
  return `arn:${parsed.partition}:sts::${parsed.account}:assumed-role/${roleName}/*`;
}
