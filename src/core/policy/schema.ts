// The access policy (see README.md, "The access policy") as a zod schema: the single
// source of its types and of the
// JSON Schema the editor uses for completion and hover docs. The policy is untrusted input,
// so every string, list and map is bounded and every object is strict (a typo is an error,
// not a silently ignored key).
import * as z from 'zod';
import { lazySchema, once } from '../../shared/lazySchema';
import { accessLevels, serviceIds } from '../catalog';
import { findHiddenChar, visibleTextPattern } from '../visibleText';
import { mfaMethodsByKind } from './mfa';

export const policyLimits = {
  maxBytes: 256 * 1024,
  maxDepth: 32,
  maxAccounts: 100,
  maxRoles: 50,
  maxGrantsPerRole: 20,
  maxResources: 50,
  maxAssignments: 2000,
  maxArnLength: 2048,
  maxDescription: 1000,
} as const;

/** AWS sessions last 900–43,200 seconds (STS AssumeRole DurationSeconds). */
export const minSessionMinutes = 15;
export const maxSessionMinutes = 720;
/** One hour: the default MaxSessionDuration of an IAM role. */
export const defaultSessionMinutes = 60;

const show = (input: unknown): string => JSON.stringify(input) ?? String(input);

const mfaByDefault = new WeakSet<object>();

/** Whether this parsed grant requires MFA only because the policy does not set "mfa". */
export function isMfaByDefault(grant: object): boolean {
  return mfaByDefault.has(grant);
}

/** Text shown to people (names, descriptions): no control or bidi character, which would make it read otherwise. */
const displayText = (what: string, max: number) =>
  z
    .string()
    .max(max)
    .regex(visibleTextPattern, {
      error: (iss) =>
        `the ${what} contains an invisible control or text-direction character (${findHiddenChar(String(iss.input)) ?? 'unknown'}); remove it`,
    })
    .meta({ patternErrorMessage: 'No control or text-direction (bidi) characters, such as U+202E.' });

const getAccountIdSchema = once(() =>
  z
    .string()
    .regex(/^\d{12}$/, { error: (iss) => `${show(iss.input)} is not an AWS account id; expected 12 digits` })
    .meta({ description: 'A 12-digit AWS account id.', patternErrorMessage: 'An AWS account id is 12 digits.' }),
);
export const accountIdSchema = lazySchema(getAccountIdSchema);

const getRegionSchema = once(() =>
  z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, {
      error: (iss) => `${show(iss.input)} is not an AWS region; expected a code like us-east-1`,
    })
    .meta({
      description: 'An AWS region code, e.g. us-east-1.',
      patternErrorMessage: 'Expected a region code like us-east-1.',
    }),
);
export const regionSchema = lazySchema(getRegionSchema);

const getRoleNameSchema = once(() =>
  z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, {
      error: (iss) =>
        `${show(iss.input)} is not a valid role name; use 1–64 letters, digits, "_" or "-", starting with a letter`,
    })
    .meta({
      description: 'The name of a role defined under "roles".',
      patternErrorMessage: 'Role names are 1–64 letters, digits, "_" or "-", starting with a letter.',
    }),
);
export const roleNameSchema = lazySchema(getRoleNameSchema);

const roleArnPattern = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
const getRoleArnSchema = once(() =>
  z
    .string()
    .max(policyLimits.maxArnLength)
    .regex(roleArnPattern, {
      error: (iss) => `${show(iss.input)} is not a role ARN; expected arn:aws:iam::<12-digit account>:role/<name>`,
    })
    .meta({
      description: 'The IAM role InfraWatch assumes (STS AssumeRole) for this role in this account.',
      patternErrorMessage: 'Expected arn:aws:iam::<12-digit account>:role/<path/name>.',
    }),
);
export const roleArnSchema = lazySchema(getRoleArnSchema);

// `*`, or an ARN whose parts may contain the IAM wildcards * and ?.
const resourcePattern = /^(\*|arn:[a-z*?-]+:[a-z0-9*?-]+:[a-z0-9*?-]*:(\d{12}|[0-9*?]*[*?][0-9*?]*|aws)?:\S+)$/;
const getResourcePatternSchema = once(() =>
  z
    .string()
    .max(policyLimits.maxArnLength)
    .regex(resourcePattern, {
      error: (iss) =>
        `${show(iss.input)} is not a resource ARN pattern; expected "*" or arn:<partition>:<service>:<region>:<account>:<resource> (wildcards * and ? allowed)`,
    })
    .meta({
      description:
        'A resource ARN pattern for the session policy, e.g. arn:aws:rds:us-east-1:111122223333:db:orders-*.',
      patternErrorMessage:
        'Expected "*" or an ARN such as arn:aws:rds:us-east-1:111122223333:db:orders-* (wildcards * and ?).',
    }),
);
export const resourcePatternSchema = lazySchema(getResourcePatternSchema);

// Exact principal ARNs and globs of them: IAM users/roles and STS sessions.
const principalPattern = /^arn:[a-z*?-]+:(iam|sts|[a-z*?]*[*?][a-z*?]*)::(\d{12}|[0-9*?]*[*?][0-9*?]*):[\w+=,.@/*?-]+$/;
const getPrincipalSchema = once(() =>
  z
    .string()
    .max(policyLimits.maxArnLength)
    .regex(principalPattern, {
      error: (iss) =>
        `${show(iss.input)} is not a principal ARN or glob; expected arn:aws:iam::<12-digit account>:user/<name>, ` +
        'arn:aws:sts::<account>:assumed-role/<role>/<session>, or one of those with * and ? wildcards',
    })
    .meta({
      description:
        'An exact principal ARN, or a glob of one: * matches any run of characters (including "/"), ? one character; ' +
        'case-sensitive. Example: arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Developer_*/*',
      patternErrorMessage:
        'Expected an IAM/STS principal ARN such as arn:aws:iam::111122223333:user/ada, optionally with * and ?.',
    }),
);
export const principalSchema = lazySchema(getPrincipalSchema);

const getUserNameSchema = once(() =>
  z
    .string()
    .regex(/^[\w+=,.@-]{1,64}$/, {
      error: (iss) => `${show(iss.input)} is not an IAM user name; expected 1–64 of letters, digits and +=,.@_-`,
    })
    .meta({
      description:
        'An IAM user name (not case-sensitive, like IAM); matches arn:aws:iam::<account>:user/<path/>name in any listed account.',
      patternErrorMessage: 'IAM user names are 1–64 of letters, digits and +=,.@_-',
    }),
);
export const userNameSchema = lazySchema(getUserNameSchema);

const minutes = (what: string) =>
  z
    .number()
    .int()
    .min(minSessionMinutes)
    .max(maxSessionMinutes)
    .describe(`${what} in minutes, 15–720 (AWS allows sessions of 900–43,200 seconds).`);

/**
 * One kind's method; "totp" on a federated kind is refused with the reason, not just "invalid
 * option". A refined string rather than an enum, so the union below reports this message on
 * the key rather than "not an MFA setting" for the whole object.
 */
const mfaMethod = <K extends keyof typeof mfaMethodsByKind>(kind: K, what: string) => {
  type Method = (typeof mfaMethodsByKind)[K][number];
  const allowed: readonly string[] = mfaMethodsByKind[kind];
  return z
    .string()
    .refine((value): value is Method => allowed.includes(value), {
      error: (iss) =>
        iss.input === 'totp'
          ? `${what} cannot use "totp": such a session is a role session with no MFA device of its own to present at AssumeRole, so AWS would refuse every request; use "signIn" (the identity provider's sign-in, which IAM cannot verify) or "none"`
          : `${show(iss.input)} is not an MFA method for ${what}; expected ${allowed.map((a) => `"${a}"`).join(' or ')}`,
    })
    .meta({ enum: [...allowed] });
};

const getMfaObjectSchema = once(() =>
  z
    .strictObject({
      iamUser: mfaMethod('iamUser', 'IAM users')
        .optional()
        .describe(
          '"totp" (default): the user enters the code of their MFA device and AWS checks it at AssumeRole; "none": no MFA.',
        ),
      identityCenter: mfaMethod('identityCenter', 'Identity Center sessions')
        .optional()
        .describe(
          '"signIn" (default): the Identity Center sign-in (with its MFA policy) is the MFA; IAM cannot verify it. "none": no MFA.',
        ),
      saml: mfaMethod('saml', 'SAML and other role sessions')
        .optional()
        .describe(
          '"signIn" (default): the SAML identity provider\'s sign-in is the MFA; IAM cannot verify it. Covers every role session that is not Identity Center\'s. "none": no MFA.',
        ),
    })
    .describe('How the MFA is met per kind of identity; a kind left out takes its default.'),
);
export const mfaObjectSchema = lazySchema(getMfaObjectSchema);

const getMfaSchema = once(() =>
  z
    .union([z.boolean(), getMfaObjectSchema()], {
      error: (iss) =>
        iss.code === 'invalid_union'
          ? `${show(iss.input)} is not an MFA setting; expected true, false or an object like {"iamUser": "totp", "identityCenter": "signIn"}`
          : undefined,
    })
    .meta({
      default: true,
      description:
        'Whether MFA is required to request this access, and how it is met. true (the default) = TOTP at AssumeRole for IAM users and the ' +
        "identity provider's sign-in for Identity Center and SAML sessions (which have no MFA device of their own); false = no MFA; " +
        'or an object saying it per kind of identity.',
    }),
);

const getGrantSchema = once(() =>
  z
    .strictObject({
      service: z.enum(serviceIds).describe('The service this grant is for (from the InfraWatch catalog).'),
      levels: z
        .array(
          z.enum(accessLevels).describe('read, write or admin; each level includes the actions of the ones below it.'),
        )
        .min(1)
        .max(accessLevels.length)
        .refine((levels) => new Set(levels).size === levels.length, {
          error: 'each access level may be listed only once',
        })
        .meta({ uniqueItems: true })
        .describe('The access levels this role may request for the service.'),
      resources: z
        .array(getResourcePatternSchema())
        .min(1)
        .max(policyLimits.maxResources)
        .default(['*'])
        .describe('Resource ARN patterns the session policy is limited to; omit for every resource of the service.'),
      maxMinutes: minutes('The longest session that may be requested').default(defaultSessionMinutes),
      defaultMinutes: minutes('The duration offered first; at most maxMinutes').optional(),
      mfa: getMfaSchema().optional(),
      reason: z.boolean().default(false).describe('Whether the requester must give a reason.'),
      ticket: z.boolean().default(false).describe('Whether the requester must give a ticket id.'),
    })
    // MFA is on unless the policy turns it off. Which grants got it by default is remembered
    // beside the policy (not in it, so a parsed policy still reads back as valid policy JSON),
    // for the admin panel to say "required (default)" rather than show a requirement nobody wrote.
    .transform(({ mfa, ...rest }) => {
      const grant = { ...rest, mfa: mfa ?? true };
      if (mfa === undefined) mfaByDefault.add(grant);
      return grant;
    })
    .describe(
      'Access to one service. A role has at most one grant per service; for each (service, level) its own grant ' +
        'overrides one it inherits.',
    ),
);
export const grantSchema = lazySchema(getGrantSchema);

const getRoleSchema = once(() =>
  z
    .strictObject({
      description: displayText('role description', policyLimits.maxDescription)
        .optional()
        .describe('What this role is for, shown to admins.'),
      inherits: getRoleNameSchema()
        .optional()
        .describe(
          "The role this one extends: it gets all of that role's grants (and its admin flag), unless it overrides them.",
        ),
      admin: z
        .boolean()
        .default(false)
        .describe('Whether holders get the admin panel (inherited by roles that inherit this one).'),
      roleArns: z
        .record(getAccountIdSchema(), getRoleArnSchema())
        .refine((arns) => Object.keys(arns).length <= policyLimits.maxAccounts, {
          error: `at most ${policyLimits.maxAccounts} accounts per role`,
        })
        .describe(
          'Per account id: the IAM role ARN to assume for this role. Not inherited: each role has its own IAM role.',
        ),
      grants: z
        .array(getGrantSchema())
        .max(policyLimits.maxGrantsPerRole)
        .describe('The services this role may request access to.'),
    })
    .describe('A role: who holds it is decided by "assignments".'),
);
export const roleSchema = lazySchema(getRoleSchema);

const getAssignmentSchema = once(() =>
  z
    .strictObject({
      principal: getPrincipalSchema().optional(),
      userName: getUserNameSchema().optional(),
      role: getRoleNameSchema().describe('The role the matching principal holds.'),
    })
    .refine((a) => (a.principal === undefined) !== (a.userName === undefined), {
      error: 'an assignment needs exactly one of "principal" or "userName"',
    })
    .meta({ oneOf: [{ required: ['principal'] }, { required: ['userName'] }] })
    .describe(
      'Who holds a role. The most specific match wins: an exact ARN, then an IAM user name, then the glob with the ' +
        'most literal characters; ties go to the first in the list.',
    ),
);
export const assignmentSchema = lazySchema(getAssignmentSchema);

const getAccountSchema = once(() =>
  z
    .strictObject({
      id: getAccountIdSchema(),
      name: displayText('account name', 64).min(1).describe('A short name for people, e.g. "prod".'),
      region: getRegionSchema().describe('The default region for this account.'),
    })
    .describe('An AWS account InfraWatch works in.'),
);
export const accountSchema = lazySchema(getAccountSchema);

const getAuditSchema = once(() =>
  z
    .strictObject({
      logGroup: z
        .string()
        .regex(/^[\w\-/.#]{1,512}$/, {
          error: (iss) =>
            `${show(iss.input)} is not a CloudWatch Logs group name; use 1–512 of letters, digits and _-/.#`,
        })
        .describe('The CloudWatch Logs group every access request and credential fetch is written to.'),
      region: getRegionSchema()
        .optional()
        .describe("The region of the log group; defaults to the first account's region."),
    })
    .describe('The organisation-wide audit sink.'),
);
export const auditSchema = lazySchema(getAuditSchema);

/** The schema itself, for zod's own functions (z.toJSONSchema), which must not get a stand-in. */
export const getPolicySchema = once(() =>
  z
    .strictObject({
      $schema: z
        .string()
        .max(2048)
        .optional()
        .describe('The JSON Schema of this file, for the editor; ignored by InfraWatch.'),
      version: z.literal(1).describe('The policy format version; always 1.'),
      accounts: z
        .array(getAccountSchema())
        .min(1)
        .max(policyLimits.maxAccounts)
        .describe('The AWS accounts InfraWatch works in.'),
      roles: z
        .record(getRoleNameSchema(), getRoleSchema())
        .refine((roles) => Object.keys(roles).length >= 1 && Object.keys(roles).length <= policyLimits.maxRoles, {
          error: `define between 1 and ${policyLimits.maxRoles} roles`,
        })
        .meta({ minProperties: 1, maxProperties: policyLimits.maxRoles })
        .describe('The roles, by name. Roles inherit through "inherits"; inheritance never loops.'),
      assignments: z
        .array(getAssignmentSchema())
        .max(policyLimits.maxAssignments)
        .describe('Which principals hold which role.'),
      audit: getAuditSchema().optional(),
    })
    .describe('An InfraWatch access policy: accounts, roles with their grants, and who holds which role.'),
);
export const policySchema = lazySchema(getPolicySchema);

export type AccessPolicy = z.infer<typeof policySchema>;
export type AccountSpec = AccessPolicy['accounts'][number];
export type RoleSpec = AccessPolicy['roles'][string];
export type Grant = RoleSpec['grants'][number];
export type Assignment = AccessPolicy['assignments'][number];
export type AuditSpec = NonNullable<AccessPolicy['audit']>;
