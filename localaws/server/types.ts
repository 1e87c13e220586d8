// Contract between the parts of the local AWS endpoint: the server (routing, SigV4,
// protocols, STS, IAM evaluation) and the service handlers (CloudWatch, Logs, …).

/** A JSON-shaped IAM policy document (identity or session policy). */
export interface PolicyStatement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource?: string | string[];
  Sid?: string;
  NotAction?: string | string[];
  NotResource?: string | string[];
  /** Trust policies only: who may assume the role (`"*"` or `{ AWS: arn | arn[] }`). */
  Principal?: '*' | { AWS: string | string[] };
  /** `{ Operator: { conditionKey: value | values } }`; see iam/conditions.ts for what is evaluated. */
  Condition?: Record<string, Record<string, string | string[] | boolean | number>>;
}
export interface PolicyDocument {
  Version?: string;
  Statement: PolicyStatement | PolicyStatement[];
}

/** Who signed a request, as established by SigV4 verification. */
export interface Principal {
  accessKeyId: string;
  accountId: string;
  /** The caller ARN as GetCallerIdentity reports it (user ARN or sts assumed-role ARN). */
  arn: string;
  /** GetCallerIdentity's UserId (AIDA… for users, AROA…:session for role sessions). */
  userId: string;
  kind: 'user' | 'role-session';
  /** Permissions of the user or of the assumed role. */
  permissions: PolicyDocument[];
  /** Inline session policy of a role session: effective rights are the intersection. */
  sessionPolicy?: PolicyDocument;
  /** Epoch ms; set for temporary credentials. */
  expiresAt?: number;
  sourceIdentity?: string;
  tags?: Record<string, string>;
  mfaAuthenticated: boolean;
  /** Epoch ms of the MFA authentication (for aws:MultiFactorAuthAge); set when MFA was used. */
  mfaAuthenticatedAt?: number;
  /** For role sessions: the IAM role ARN (what trust policies name as the principal). */
  roleArn?: string;
}

/** An error in AWS's own vocabulary; each protocol renders it in its wire shape. */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    readonly fault: 'Sender' | 'Receiver' = 'Sender',
  ) {
    super(message);
    this.name = code;
  }
}

/** A signed, verified request routed to one service. */
export interface ServiceRequest {
  /** SigV4 credential-scope service name: sts, monitoring, logs, rds, ec2, lambda, s3. */
  service: string;
  region: string;
  method: string;
  /** Path without query string. */
  path: string;
  query: URLSearchParams;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** Body, already gunzipped when Content-Encoding was gzip. */
  body: Buffer;
  requestId: string;
}

export interface ServiceResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

export interface CallContext {
  principal: Principal;
  /** The endpoint's clock, epoch ms (tests can move it). */
  now: number;
  region: string;
  requestId: string;
  /**
   * IAM evaluation for the call: the principal's permissions intersected with its
   * session policy; explicit Deny wins. Throws AwsError('AccessDenied'
   * (or the service's own access-denied code) when not allowed.
   */
  authorize(action: string, resource?: string): void;
}

export type ServiceHandler = (req: ServiceRequest, ctx: CallContext) => Promise<ServiceResponse> | ServiceResponse;
