// The demo's people and roles (DEMO-ONLY: every key, secret and TOTP seed below is
// derived from a fixed string, published in this repository, and worthless outside the
// local endpoint). Account 111122223333, region us-east-1.
//
// - IAM users erin.employee, max.manager, ada.admin, uma.unassigned (long-term AKIA keys);
// - sam.sso, an Identity Center role session (ASIA key + session token, 30 days), the
//   base identity whose AssumeRole calls are capped at 1 hour by role chaining;
// - JIT roles InfraWatch-Employee/-Manager/-Admin, MFA required in their trust policies.

import { getActions, type ServiceId } from '../../src/core/catalog';
import { derivedBase32, derivedId, derivedSecret } from '../server/ids';
import type { CredentialRecord, LocalAwsState, RoleDefinition } from '../server/state';
import type { PolicyDocument, Principal } from '../server/types';

export const demoAccountId = '111122223333';
export const demoRegion = 'us-east-1';
/** The organisation policy bucket, the policy source an admin controls: everyone reads it, only the admin writes. */
export const demoPolicyBucket = `infrawatch-policy-${demoAccountId}`;

export interface DemoIdentity {
  /** employee | manager | admin | unassigned | sso */
  name: string;
  label: string;
  arn: string;
  userName?: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** ISO 8601, for the temporary (sso) credentials only. */
  expiration?: string;
  mfaSerial: string;
  totpSeed: string;
}

interface PersonSpec {
  name: string;
  label: string;
  user: string;
  canAssume: boolean;
}

const people: PersonSpec[] = [
  { name: 'employee', label: 'Erin (employee)', user: 'erin.employee', canAssume: true },
  { name: 'manager', label: 'Max (manager)', user: 'max.manager', canAssume: true },
  { name: 'admin', label: 'Ada (admin)', user: 'ada.admin', canAssume: true },
  { name: 'unassigned', label: 'Uma (no role)', user: 'uma.unassigned', canAssume: false },
];

export const ssoRoleName = 'AWSReservedSSO_Developer_0123456789abcdef';
const ssoRoleArn = `arn:aws:iam::${demoAccountId}:role/aws-reserved/sso.amazonaws.com/${ssoRoleName}`;
const thirtyDaysMs = 30 * 24 * 3600 * 1000;

function mfaSerialOf(user: string): string {
  return `arn:aws:iam::${demoAccountId}:mfa/${user}`;
}

function seededSecrets(user: string): Pick<DemoIdentity, 'secretAccessKey' | 'totpSeed'> {
  return { secretAccessKey: derivedSecret(`demo-secret:${user}`), totpSeed: derivedBase32(`demo-totp:${user}`, 32) };
}

/** The five demo identities; `clockStart` fixes when the sso session expires (30 days on). */
export function createDemoIdentities(clockStart: number): DemoIdentity[] {
  const users = people.map((p): DemoIdentity => ({
    name: p.name,
    label: p.label,
    arn: `arn:aws:iam::${demoAccountId}:user/${p.user}`,
    userName: p.user,
    accessKeyId: derivedId('AKIA', `demo-key:${p.user}`),
    mfaSerial: mfaSerialOf(p.user),
    ...seededSecrets(p.user),
  }));
  const sso: DemoIdentity = {
    name: 'sso',
    label: 'Sam (Identity Center session)',
    arn: `arn:aws:sts::${demoAccountId}:assumed-role/${ssoRoleName}/sam.sso`,
    accessKeyId: derivedId('ASIA', 'demo-key:sam.sso'),
    sessionToken: `IQoJb3JpZ2luX2VjE${derivedSecret('demo-token:sam.sso', 320)}`,
    expiration: new Date(clockStart + thirtyDaysMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    mfaSerial: mfaSerialOf('sam.sso'),
    ...seededSecrets('sam.sso'),
  };
  return [...users, sso];
}

const jitRoles = [
  {
    name: 'InfraWatch-Employee',
    maxSessionDuration: 3600,
    trusted: ['employee', 'sso', 'manager', 'admin'],
    level: 'write',
  },
  { name: 'InfraWatch-Manager', maxSessionDuration: 14400, trusted: ['manager', 'admin'], level: 'write' },
  { name: 'InfraWatch-Admin', maxSessionDuration: 43200, trusted: ['admin'], level: 'admin' },
] as const;

export function jitRoleArn(name: string): string {
  return `arn:aws:iam::${demoAccountId}:role/${name}`;
}

function basePermissions(canAssume: boolean, isAdmin: boolean): PolicyDocument {
  const bucketArn = `arn:aws:s3:::${demoPolicyBucket}`;
  const statements: PolicyDocument['Statement'] = [
    {
      Sid: 'Monitoring',
      Effect: 'Allow',
      Action: [
        'cloudwatch:ListMetrics',
        'cloudwatch:GetMetricData',
        'cloudwatch:DescribeAlarms',
        'cloudwatch:PutMetricData',
      ],
      Resource: '*',
    },
    {
      Sid: 'Logs',
      Effect: 'Allow',
      Action: [
        'logs:Describe*',
        'logs:FilterLogEvents',
        'logs:GetLogEvents',
        'logs:CreateLogGroup',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
      ],
      Resource: '*',
    },
    // ListBucket too, so a missing policy object reads as NoSuchKey rather than AccessDenied.
    {
      Sid: 'PolicySourceRead',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:ListBucket'],
      Resource: [bucketArn, `${bucketArn}/*`],
    },
  ];
  if (isAdmin)
    statements.push({ Sid: 'PolicySourceWrite', Effect: 'Allow', Action: 's3:PutObject', Resource: `${bucketArn}/*` });
  // The admin panel's "Sessions outside InfraWatch" reads CloudTrail; LookupEvents takes no resource ARN.
  if (isAdmin)
    statements.push({ Sid: 'FindOutsideSessions', Effect: 'Allow', Action: 'cloudtrail:LookupEvents', Resource: '*' });
  // All three: where a trust statement names the account (the kit's globs), IAM also asks the
  // caller's own policy for each (trustEvaluation.ts).
  if (canAssume)
    statements.push({
      Sid: 'AssumeJitRoles',
      Effect: 'Allow',
      Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'],
      Resource: jitRoleArn('InfraWatch-*'),
    });
  return { Version: '2012-10-17', Statement: statements };
}

function rolePermissions(level: 'write' | 'admin'): PolicyDocument {
  const services: ServiceId[] = ['rds', 'lambda', 'ec2'];
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Services', Effect: 'Allow', Action: services.flatMap((s) => getActions(s, level)), Resource: '*' },
      {
        Sid: 'MonitoringRead',
        Effect: 'Allow',
        Action: ['cloudwatch:Describe*', 'cloudwatch:Get*', 'cloudwatch:List*'],
        Resource: '*',
      },
      {
        Sid: 'LogsRead',
        Effect: 'Allow',
        Action: ['logs:Describe*', 'logs:Get*', 'logs:FilterLogEvents', 'logs:StartQuery', 'logs:StopQuery'],
        Resource: '*',
      },
    ],
  };
}

function principalArnOf(identity: DemoIdentity): string {
  return identity.name === 'sso' ? ssoRoleArn : identity.arn;
}

/**
 * MFA is required of the IAM users; the Identity Center session cannot bring it (a role session
 * has no MFA device; its aws:MultiFactorAuthPresent is "false"), so its sign-in stands for it.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent
 */
function trustStatements(trusted: readonly DemoIdentity[]): PolicyDocument['Statement'] {
  const action = ['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession'];
  const users = trusted.filter((i) => i.name !== 'sso').map(principalArnOf);
  const sessions = trusted.filter((i) => i.name === 'sso').map(principalArnOf);
  return [
    ...(users.length > 0
      ? [
          {
            Effect: 'Allow' as const,
            Principal: { AWS: users },
            Action: action,
            Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
          },
        ]
      : []),
    ...(sessions.length > 0 ? [{ Effect: 'Allow' as const, Principal: { AWS: sessions }, Action: action }] : []),
  ];
}

/** The JIT roles; trust = who may assume, MFA required of IAM users, source identity and tags allowed. */
export function createDemoRoles(identities: readonly DemoIdentity[]): RoleDefinition[] {
  return jitRoles.map((role) => ({
    arn: jitRoleArn(role.name),
    name: role.name,
    roleId: derivedId('AROA', `demo-role:${role.name}`, 21),
    maxSessionDuration: role.maxSessionDuration,
    permissions: [rolePermissions(role.level)],
    trustPolicy: {
      Version: '2012-10-17',
      Statement: trustStatements(identities.filter((i) => (role.trusted as readonly string[]).includes(i.name))),
    },
  }));
}

function principalOf(identity: DemoIdentity, expiresAt: number | undefined): Principal {
  const person = people.find((p) => p.name === identity.name);
  return {
    accessKeyId: identity.accessKeyId,
    accountId: demoAccountId,
    arn: identity.arn,
    userId:
      identity.name === 'sso'
        ? `${derivedId('AROA', `demo-role:${ssoRoleName}`, 21)}:sam.sso`
        : derivedId('AIDA', `demo-user:${identity.userName}`, 21),
    kind: identity.name === 'sso' ? 'role-session' : 'user',
    permissions: [basePermissions(person?.canAssume ?? true, identity.name === 'admin')],
    expiresAt,
    mfaAuthenticated: false,
    roleArn: identity.name === 'sso' ? ssoRoleArn : undefined,
  };
}

/** Puts the demo identities' keys, MFA devices and the JIT roles into `state`. */
export function seedDemoState(state: LocalAwsState, identities: readonly DemoIdentity[]): void {
  for (const identity of identities) {
    const expiresAt = identity.expiration ? Date.parse(identity.expiration) : undefined;
    const record: CredentialRecord = {
      accessKeyId: identity.accessKeyId,
      secretAccessKey: identity.secretAccessKey,
      sessionToken: identity.sessionToken,
      principal: principalOf(identity, expiresAt),
      mfaSerial: identity.mfaSerial,
    };
    state.credentials.set(identity.accessKeyId, record);
    state.mfaDevices.set(identity.mfaSerial, {
      serialNumber: identity.mfaSerial,
      seed: identity.totpSeed,
      ownerArn: identity.arn,
    });
  }
  for (const role of createDemoRoles(identities)) state.roles.set(role.arn, role);
}
