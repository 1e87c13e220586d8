// Maps every AssumeRole failure (AccessDenied, ValidationError, MalformedPolicyDocument,
// PackedPolicyTooLarge, RegionDisabled, expired or invalid base credentials, throttling,
// network) onto a message that says what happened and what to
// do next, plus a machine-readable next action. AWS's own text is kept only where it adds
// something, and is scrubbed first: a ValidationError echoes the values it rejected, which
// may include the MFA code.
import { type ErrorCode, InfraWatchError } from '../errors';
import { Redactor } from '../redact';
import { formatDuration } from './duration';
import { StsError, type StsNextAction } from './stsError';

export interface StsErrorContext {
  roleArn: string;
  /** What was asked for, for messages: e.g. "RDS read". */
  what?: string;
  durationSeconds?: number;
  baseIsRoleSession?: boolean;
  mfaProvided?: boolean;
  region?: string;
  account?: string;
  /** Values that must never appear in a message or the kept cause (the MFA code). */
  scrub?: readonly string[];
}

interface AwsErrorShape {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  $metadata?: { requestId?: string; httpStatusCode?: number };
}

interface Facts {
  awsCode: string;
  text: string;
  context: StsErrorContext;
}

type Mapped = [ErrorCode, StsNextAction, string];

const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ECONNABORTED',
  'TimeoutError',
  'RequestTimeout',
  'NetworkingError',
]);
const throttleCodes = new Set([
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'SlowDown',
]);
const serverCodes = new Set(['InternalFailure', 'InternalError', 'ServiceUnavailable', 'ServiceUnavailableException']);
const clockCodes = new Set(['RequestExpired', 'RequestTimeTooSkewed', 'RequestInTheFuture']);
// SDK v3 names modelled STS errors `<Code>Exception`; the wire code is in `Code`.
const aliases: Record<string, string> = {
  MalformedPolicyDocumentException: 'MalformedPolicyDocument',
  PackedPolicyTooLargeException: 'PackedPolicyTooLarge',
  ExpiredTokenException: 'ExpiredToken',
  AccessDeniedException: 'AccessDenied',
  InvalidSignatureException: 'SignatureDoesNotMatch',
  UnrecognizedClientException: 'InvalidClientTokenId',
  ProviderError: 'CredentialsProviderError',
};

function awsCodeOf(e: AwsErrorShape): string {
  const raw = e.Code ?? (e.name && e.name !== 'Error' ? e.name : undefined) ?? e.code ?? 'Unknown';
  const code = aliases[raw] ?? raw;
  if (code === 'Unknown' && e.code && networkCodes.has(e.code)) return e.code;
  return code;
}

function scrub(text: string, context: StsErrorContext): string {
  let out = text.replace(/Value '[^']*' at '(tokenCode|serialNumber)'/g, "Value '‹redacted›' at '$1'");
  for (const value of context.scrub ?? []) if (value.length > 0) out = out.split(value).join('‹redacted›');
  return new Redactor().redact(out);
}

function what(context: StsErrorContext): string {
  return context.what ? ` for ${context.what}` : '';
}

function mapAccessDenied({ text, context }: Facts): Mapped {
  if (/MultiFactorAuthentication failed with invalid/i.test(text)) {
    return [
      'MfaRejected',
      'reenterMfa',
      'AWS rejected the MFA code: it is wrong, expired, or was already used (each code works once). Enter the current code from your authenticator',
    ];
  }
  if (/MultiFactorAuthentication failed, must provide both/i.test(text)) {
    return [
      'MfaRejected',
      'reenterMfa',
      'AWS needs both the MFA device and a code: enter the current code from your authenticator',
    ];
  }
  if (/MultiFactorAuthentication failed/i.test(text)) {
    return [
      'AccessDenied',
      'fixMfaSerial',
      'AWS could not check the MFA code against your MFA device: the device ARN is wrong or not assigned to you. Set the MFA device ARN shown in the IAM console (Security credentials → MFA) and try again',
    ];
  }
  if (/sts:SetSourceIdentity/.test(text)) {
    const chain = context.baseIsRoleSession
      ? ' Your credentials are a role session, and a source identity already set on it can never change down a chain.'
      : '';
    return [
      'AccessDenied',
      'contactAdmin',
      `AWS refused to set the source identity on ${context.roleArn}: the role's trust policy must allow sts:SetSourceIdentity for you.${chain} Ask an AWS admin to add it (the InfraWatch IAM kit does)`,
    ];
  }
  if (/sts:TagSession/.test(text)) {
    return [
      'AccessDenied',
      'contactAdmin',
      `AWS refused the session tags on ${context.roleArn}: the role's trust policy must allow sts:TagSession for you. Ask an AWS admin to add it (the InfraWatch IAM kit does)`,
    ];
  }
  if (/sts:AssumeRole/.test(text)) {
    // A role session (Identity Center, SAML) has no MFA device, so a trust policy requiring
    // aws:MultiFactorAuthPresent refuses it whatever it sends.
    const mfa = context.mfaProvided
      ? ''
      : context.baseIsRoleSession
        ? " Your credentials are a role session (Identity Center or SAML), which has no MFA device to present: if the role's trust policy requires MFA (aws:MultiFactorAuthPresent), it refuses you whatever you enter; the InfraWatch IAM kit leaves MFA to your sign-in for such sessions."
        : ' If the role requires MFA, the access policy must require MFA for this grant so InfraWatch asks for a code.';
    return [
      'AccessDenied',
      'contactAdmin',
      `AWS refused to let you assume ${context.roleArn}: your IAM permissions (sts:AssumeRole) or the role's trust policy do not allow it.${mfa} Ask an AWS admin to add you to the role's trust policy`,
    ];
  }
  return [
    'AccessDenied',
    'contactAdmin',
    `AWS denied the request${what(context)}: ${text}. Ask an AWS admin to check the role's trust policy and your permissions`,
  ];
}

function mapValidation({ text, context }: Facts): Mapped {
  const asked = context.durationSeconds ? formatDuration(context.durationSeconds) : 'the requested duration';
  if (/role chaining/i.test(text)) {
    return [
      'Validation',
      'chooseShorter',
      `AWS allows at most 1 hour here: your AWS credentials are themselves a role session (role chaining), so ${asked} is too long. Choose 1 hour or less`,
    ];
  }
  if (/MaxSessionDuration/i.test(text)) {
    return [
      'Validation',
      'chooseShorter',
      `The IAM role ${context.roleArn} allows shorter sessions than ${asked}: its maximum session duration (MaxSessionDuration) is lower. Choose a shorter duration, or ask an AWS admin to raise the role's MaxSessionDuration to at least ${asked}`,
    ];
  }
  if (/'tokenCode'/.test(text))
    return ['MfaRejected', 'reenterMfa', 'AWS rejected the MFA code format: enter exactly 6 digits'];
  if (/'serialNumber'/.test(text))
    return [
      'Validation',
      'fixMfaSerial',
      'AWS rejected the MFA device ARN: use arn:aws:iam::<account>:mfa/<name> or a hardware serial (9–256 characters)',
    ];
  if (/'durationSeconds'/.test(text))
    return [
      'Validation',
      'chooseShorter',
      'AWS rejected the duration: sessions last 15 minutes to 12 hours. Choose a duration in that range',
    ];
  if (/'policy'/.test(text))
    return [
      'Validation',
      'fixPolicy',
      'AWS rejected the session policy as too long (over 2,048 characters): give the grant fewer resource patterns, or a broader one',
    ];
  if (/Request ARN is invalid|'roleArn'/i.test(text))
    return [
      'Validation',
      'fixPolicy',
      `AWS rejected the role ARN ${context.roleArn}: fix the role's ARN for this account in the access policy (arn:aws:iam::<account>:role/<name>)`,
    ];
  if (/SourceIdentity|'sourceIdentity'/i.test(text))
    return [
      'Validation',
      'contactAdmin',
      `AWS rejected the source identity: ${text}. Report this to your InfraWatch admin`,
    ];
  if (/tag/i.test(text))
    return [
      'Validation',
      'editRequest',
      `AWS rejected the session tags: ${text}. Change the ticket id to letters, digits, spaces and _ . : / = + - @`,
    ];
  return ['Validation', 'none', `AWS rejected the request as invalid: ${text}`];
}

function mapSignature({ text }: Facts): Mapped {
  if (/Signature expired|not yet current|time.*skew/i.test(text)) {
    return [
      'SignatureMismatch',
      'fixClock',
      `AWS rejected the request because this computer's clock is off by more than 15 minutes: ${text}. Set the clock to the correct time (enable automatic time sync) and try again`,
    ];
  }
  return [
    'SignatureMismatch',
    'refreshCredentials',
    'AWS could not verify the request signature: the secret access key of your AWS credentials does not match the access key. Check or renew the credentials of the configured profile',
  ];
}

const simple: Record<string, (f: Facts) => Mapped> = {
  AccessDenied: mapAccessDenied,
  ValidationError: mapValidation,
  SignatureDoesNotMatch: mapSignature,
  MalformedPolicyDocument: ({ text }) => [
    'PolicyInvalid',
    'fixPolicy',
    `AWS rejected the session policy as malformed: ${text}. Check the grant's resource patterns in the access policy (each must be "*" or a full ARN)`,
  ],
  PackedPolicyTooLarge: ({ text }) => [
    'Validation',
    'fixPolicy',
    `AWS says the session policy and tags are too large once packed: ${text}. Give the grant fewer or broader resource patterns, or use a shorter ticket id`,
  ],
  RegionDisabledException: ({ context }) => [
    'RegionDisabled',
    'contactAdmin',
    `STS is not activated in region ${context.region ?? '(the configured region)'} for account ${context.account ?? '(this account)'}: an AWS admin can activate it (IAM → Account settings → Security Token Service), or set the account's region in the access policy to an active one`,
  ],
  ExpiredToken: () => [
    'Expired',
    'refreshCredentials',
    'Your AWS credentials have expired: sign in again (for IAM Identity Center: aws sso login) and retry',
  ],
  InvalidClientTokenId: () => [
    'InvalidToken',
    'refreshCredentials',
    'AWS does not recognise your access key: it was deleted, deactivated or belongs to another partition. Check or renew the credentials of the configured profile',
  ],
  CredentialsProviderError: ({ text }) => [
    'NoCredentials',
    'refreshCredentials',
    `No AWS credentials could be loaded: ${text}. Sign in (aws sso login or aws configure) and retry`,
  ],
  AbortError: () => ['Cancelled', 'none', 'The request was cancelled'],
};

function mapFacts(facts: Facts): Mapped {
  const { awsCode, text } = facts;
  const handler = simple[awsCode];
  if (handler) return handler(facts);
  if (throttleCodes.has(awsCode))
    return ['Throttled', 'retry', 'AWS is throttling requests to STS: wait a few seconds and try again'];
  if (clockCodes.has(awsCode)) return mapSignature({ ...facts, text: `Signature expired (${text})` });
  if (networkCodes.has(awsCode))
    return [
      'Network',
      'retry',
      `Cannot reach AWS STS: ${text}. Check the network, proxy or endpoint setting and try again`,
    ];
  if (serverCodes.has(awsCode))
    return ['Unknown', 'retry', `AWS STS had an internal failure: ${text}. Try again in a moment`];
  return ['Unknown', 'none', `AWS STS failed${what(facts.context)}: ${awsCode}: ${text}`];
}

const actionByCode: Partial<Record<ErrorCode, StsNextAction>> = {
  Throttled: 'retry',
  Network: 'retry',
  Expired: 'refreshCredentials',
  InvalidToken: 'refreshCredentials',
  NoCredentials: 'refreshCredentials',
  MfaRejected: 'reenterMfa',
};

function scrubbedCause(error: unknown, original: string, cleaned: string): unknown {
  if (original === cleaned || !(error instanceof Error)) return error;
  const copy = new Error(cleaned);
  copy.name = error.name;
  Object.assign(copy, { $metadata: (error as AwsErrorShape).$metadata, Code: (error as AwsErrorShape).Code });
  return copy;
}

/** Maps an AssumeRole failure (SDK error, network error, or ours) onto an StsError. */
export function mapStsError(error: unknown, context: StsErrorContext): StsError {
  if (error instanceof StsError) return error;
  if (error instanceof InfraWatchError) {
    return new StsError(error.code, scrub(error.message, context), actionByCode[error.code] ?? 'none', {
      cause: error.cause,
      requestId: error.requestId,
    });
  }
  const e = (error ?? {}) as AwsErrorShape;
  const awsCode = awsCodeOf(e);
  const original = typeof e.message === 'string' ? e.message : '';
  const text = scrub(original.trim().replace(/\.$/, '') || awsCode, context);
  const [code, nextAction, message] = mapFacts({ awsCode, text, context });
  return new StsError(code, message, nextAction, {
    cause: scrubbedCause(error, original, scrub(original, context)),
    requestId: e.$metadata?.requestId,
    awsCode,
  });
}
