// The demo's IAM Identity Center (DEMO-ONLY: the password below is published in this
// repository and opens nothing outside the local endpoint): one instance with its start
// URL, one user, one account and two permission sets assigned to that user.
//
// Sam (sam.sso) signs in on the device-approval page with a password and the TOTP code of
// the sam.sso device (GET /_localaws/totp/sso), then picks a permission set. The Developer
// set's role is the one the demo 'sso' identity already is a session of (iam/identities.ts),
// so InfraWatch-Employee trusts it.

import { derivedId } from '../server/ids';
import { demoAccountId, demoRegion, ssoRoleName } from '../iam/identities';
import type { PolicyDocument } from '../server/types';

export const demoSsoStartUrl = 'https://infrawatch-demo.awsapps.com/start';
export const demoSsoRegion = demoRegion;
export const demoSsoAccountId = demoAccountId;
export const demoSsoAccountName = 'InfraWatch Demo';
export const demoSsoUser = 'sam.sso';
export const demoSsoPassword = 'sam-demo-password';

export interface PermissionSet {
  /** What ListAccountRoles calls roleName and GetRoleCredentials takes as role_name. */
  name: string;
  /** AWSReservedSSO_<set>_<suffix>: the role Identity Center provisions in each assigned account. */
  roleName: string;
  /**
   * Seconds. "The default session duration is one hour" and the credentials GetRoleCredentials
   * returns last that long.
   * https://docs.aws.amazon.com/singlesignon/latest/userguide/howtosessionduration.html
   */
  sessionDurationSeconds: number;
  /** Undefined: the permissions of the demo 'sso' identity's role (iam/identities.ts). */
  permissions?: PolicyDocument[];
}

const readOnly: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'MonitoringRead',
      Effect: 'Allow',
      Action: ['cloudwatch:Describe*', 'cloudwatch:Get*', 'cloudwatch:List*'],
      Resource: '*',
    },
    {
      Sid: 'LogsRead',
      Effect: 'Allow',
      Action: ['logs:Describe*', 'logs:Get*', 'logs:FilterLogEvents'],
      Resource: '*',
    },
  ],
};

/** In the order ListAccountRoles returns them. */
export const demoPermissionSets: readonly PermissionSet[] = [
  { name: 'Developer', roleName: ssoRoleName, sessionDurationSeconds: 3600 },
  {
    name: 'ReadOnly',
    roleName: `AWSReservedSSO_ReadOnly_${derivedId('', 'demo-ps:ReadOnly', 16).toLowerCase()}`,
    sessionDurationSeconds: 3600,
    permissions: [readOnly],
  },
];

/**
 * Identity Center roles live under the aws-reserved path:
 * arn:aws:iam::<account>:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_<set>_<suffix>.
 * https://docs.aws.amazon.com/singlesignon/latest/userguide/referencingpermissionsets.html
 */
export function permissionSetRoleArn(set: PermissionSet, accountId = demoSsoAccountId): string {
  return `arn:aws:iam::${accountId}:role/aws-reserved/sso.amazonaws.com/${set.roleName}`;
}
