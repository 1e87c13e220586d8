// How a grant's MFA is met, per kind of identity. What IAM can check differs by kind:
// - an IAM user presents its MFA device at AssumeRole (SerialNumber + TokenCode), so the JIT
//   role's trust policy sees aws:MultiFactorAuthPresent "true" and can require it ("totp");
// - an Identity Center or SAML session is a role session: it has no MFA device to present
//   (AssumeRole's SerialNumber is "the MFA device that is associated with the user who is making
//   the AssumeRole call"), and its own credentials come from AssumeRoleWithSAML, which takes no
//   MFA, so aws:MultiFactorAuthPresent is "false" for it and for every session it assumes. The
//   MFA such a person did is the identity provider's sign-in, which IAM cannot see ("signIn").
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_request.html

/** The kinds of base identity InfraWatch tells apart by the caller's ARN. */
export const identityKinds = ['iamUser', 'identityCenter', 'saml'] as const;
export type IdentityKind = (typeof identityKinds)[number];

/** TOTP at AssumeRole, the identity provider's sign-in, or no MFA. */
export type MfaMethod = 'totp' | 'signIn' | 'none';

/** The methods each kind may use: only an IAM user has a device of its own to present. */
export const mfaMethodsByKind = {
  iamUser: ['totp', 'none'],
  identityCenter: ['signIn', 'none'],
  saml: ['signIn', 'none'],
} as const satisfies Record<IdentityKind, readonly MfaMethod[]>;

export interface MfaBy {
  iamUser: (typeof mfaMethodsByKind.iamUser)[number];
  identityCenter: (typeof mfaMethodsByKind.identityCenter)[number];
  saml: (typeof mfaMethodsByKind.saml)[number];
}

/** What `"mfa": true` (and a grant without "mfa") means: each kind's strongest method. */
export const mfaByDefault: MfaBy = { iamUser: 'totp', identityCenter: 'signIn', saml: 'signIn' };
/** What `"mfa": false` means. */
export const mfaByNone: MfaBy = { iamUser: 'none', identityCenter: 'none', saml: 'none' };

/** The policy's "mfa" value as a method per kind; a kind the object leaves out takes the default. */
export function toMfaBy(mfa: boolean | Partial<MfaBy> | undefined): MfaBy {
  if (mfa === undefined || mfa === true) return { ...mfaByDefault };
  if (mfa === false) return { ...mfaByNone };
  return { ...mfaByDefault, ...mfa };
}

/** Whether any kind must do some MFA for the grant. */
export function isMfaRequired(mfaBy: MfaBy): boolean {
  return identityKinds.some((kind) => mfaBy[kind] !== 'none');
}

/** The grant's method for a kind: none when `mfa` is false; a grant built without `mfaBy` reads `mfa: true` as the default. */
export function getMfaMethod(grant: { mfa: boolean; mfaBy?: MfaBy }, kind: IdentityKind): MfaMethod {
  if (!grant.mfa) return 'none';
  return (grant.mfaBy ?? toMfaBy(grant.mfa))[kind];
}

/** Whether the caller of this kind must send a TOTP code with AssumeRole for the grant. */
export function needsTotp(grant: { mfa: boolean; mfaBy?: MfaBy }, kind: IdentityKind): boolean {
  return getMfaMethod(grant, kind) === 'totp';
}

/** Identity Center's roles are named AWSReservedSSO_<permission set>_<id>, under /aws-reserved/sso.amazonaws.com/. */
export const identityCenterRolePrefix = 'AWSReservedSSO_';
export const identityCenterRolePath = 'aws-reserved/sso.amazonaws.com/';

const kindNames: Record<IdentityKind, string> = {
  iamUser: 'IAM users',
  identityCenter: 'Identity Center',
  saml: 'SAML and other role sessions',
};

/** "TOTP at AssumeRole", "Identity Center sign-in", … for one kind. */
export function describeMfaMethod(method: MfaMethod, kind: IdentityKind): string {
  if (method === 'none') return 'no MFA';
  if (method === 'totp') return 'TOTP at AssumeRole';
  return kind === 'identityCenter' ? 'Identity Center sign-in' : "the identity provider's sign-in";
}

/** One line for the admin: "TOTP (IAM users) / Identity Center sign-in / SAML sign-in", or "—". */
export function describeMfaBy(mfaBy: MfaBy): string {
  if (!isMfaRequired(mfaBy)) return '—';
  const parts: string[] = [];
  if (mfaBy.iamUser === 'totp') parts.push('TOTP (IAM users)');
  if (mfaBy.identityCenter === 'signIn') parts.push('Identity Center sign-in');
  if (mfaBy.saml === 'signIn') parts.push('SAML sign-in');
  const none = identityKinds.filter((kind) => mfaBy[kind] === 'none').map((kind) => kindNames[kind]);
  if (none.length > 0) parts.push(`none for ${none.join(', ')}`);
  return parts.join(' / ');
}

/** What IAM itself can verify of the method, for the admin and the docs. */
export function describeVerification(method: MfaMethod): string {
  if (method === 'totp') return 'IAM verifies it: the trust policy requires aws:MultiFactorAuthPresent';
  if (method === 'signIn')
    return "IAM cannot verify it (aws:MultiFactorAuthPresent is false in role sessions); InfraWatch trusts the identity provider's sign-in policy";
  return 'nothing to verify';
}

export const identityKindLabels: Record<IdentityKind, string> = {
  iamUser: 'IAM user',
  identityCenter: 'Identity Center session',
  saml: 'role session (SAML or other)',
};
