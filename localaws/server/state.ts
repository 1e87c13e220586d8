// The endpoint's mutable state: every access key it knows (seeded demo keys and the
// temporary ones STS issued), the roles, the MFA devices and the codes already used, and
// the switches tests flip (disabled regions, throttled services).

import type { PolicyDocument, Principal } from './types';

export interface CredentialRecord {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  principal: Principal;
  /** The MFA device this caller may present (inherited down a chain of sessions). */
  mfaSerial?: string;
  /** A role session's transitive session tags: they pass into sessions it assumes (sts/assumeRole.ts). */
  transitiveTags?: Record<string, string>;
}

export interface RoleDefinition {
  arn: string;
  name: string;
  /** AROA… id; session user ids are `<roleId>:<session name>`. */
  roleId: string;
  /** Seconds, 3600–43200. */
  maxSessionDuration: number;
  trustPolicy: PolicyDocument;
  /** Inline policies and attached managed policies alike. */
  permissions: PolicyDocument[];
  /** `/` unless the role lives under a path (the ARN includes it). */
  path?: string;
  /** The role's IAM tags: aws:PrincipalTag of its sessions unless a session tag overrides them. */
  tags?: Record<string, string>;
}

export interface MfaDevice {
  serialNumber: string;
  /** Base32 TOTP seed. */
  seed: string;
  ownerArn: string;
}

/** What STS issued, minus the secret and token (safe to list over the control API). */
export interface IssuedSession {
  accessKeyId: string;
  arn: string;
  roleArn: string;
  roleSessionName: string;
  callerArn: string;
  issuedAt: number;
  expiresAt: number;
  durationSeconds: number;
  sourceIdentity?: string;
  /** The session tags passed on this call. */
  tags: Record<string, string>;
  /** Keys of this session's transitive tags (passed as transitive, or inherited). */
  transitiveTagKeys: string[];
  /** What the session sees as aws:PrincipalTag: role tags, inherited transitive tags, session tags. */
  principalTags: Record<string, string>;
  sessionPolicy?: string;
  packedPolicySize: number;
  mfaAuthenticated: boolean;
}

export interface LocalAwsState {
  accountId: string;
  region: string;
  credentials: Map<string, CredentialRecord>;
  roles: Map<string, RoleDefinition>;
  mfaDevices: Map<string, MfaDevice>;
  /** Per device serial: `<step>:<code>` pairs already accepted (a code works once). */
  usedMfaCodes: Map<string, Set<string>>;
  issuedSessions: IssuedSession[];
  /** Regions where STS answers RegionDisabledException. */
  disabledRegions: Set<string>;
  /** SigV4 service names (`sts`, `monitoring`, `logs`…) that answer Throttling. */
  throttledServices: Set<string>;
}

export function createEmptyState(accountId: string, region: string): LocalAwsState {
  return {
    accountId,
    region,
    credentials: new Map(),
    roles: new Map(),
    mfaDevices: new Map(),
    usedMfaCodes: new Map(),
    issuedSessions: [],
    disabledRegions: new Set(),
    throttledServices: new Set(),
  };
}
