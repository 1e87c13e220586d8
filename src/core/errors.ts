// One error type for everything the user may see. Messages put the variable part after
// a colon; the cause chain (with the AWS request id) goes to the log, never to a toast.

export type ErrorCode =
  | 'NoCredentials'
  | 'Expired'
  | 'AccessDenied'
  | 'MfaRejected'
  | 'PolicyInvalid'
  | 'NoPolicy'
  | 'NoRole'
  | 'Throttled'
  | 'Network'
  | 'Validation'
  | 'RegionDisabled'
  | 'SignatureMismatch'
  | 'InvalidToken'
  | 'Cancelled'
  | 'Unknown';

export class InfraWatchError extends Error {
  override readonly name = 'InfraWatchError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown; requestId?: string },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.requestId = options?.requestId;
  }
  readonly requestId: string | undefined;
}

interface AwsLikeError {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  $metadata?: { requestId?: string; httpStatusCode?: number };
}

const awsCodeMap: Record<string, ErrorCode> = {
  AccessDenied: 'AccessDenied',
  AccessDeniedException: 'AccessDenied',
  UnauthorizedOperation: 'AccessDenied',
  ExpiredToken: 'Expired',
  ExpiredTokenException: 'Expired',
  InvalidClientTokenId: 'InvalidToken',
  UnrecognizedClientException: 'InvalidToken',
  SignatureDoesNotMatch: 'SignatureMismatch',
  InvalidSignatureException: 'SignatureMismatch',
  ValidationError: 'Validation',
  MalformedPolicyDocument: 'Validation',
  MalformedPolicyDocumentException: 'Validation',
  PackedPolicyTooLarge: 'Validation',
  PackedPolicyTooLargeException: 'Validation',
  InvalidParameterValue: 'Validation',
  InvalidParameterException: 'Validation',
  RegionDisabledException: 'RegionDisabled',
  Throttling: 'Throttled',
  ThrottlingException: 'Throttled',
  TooManyRequestsException: 'Throttled',
  CredentialsProviderError: 'NoCredentials',
  TimeoutError: 'Network',
  ECONNREFUSED: 'Network',
  ENOTFOUND: 'Network',
  ECONNRESET: 'Network',
  ETIMEDOUT: 'Network',
};

/** Maps an AWS SDK (or Node network) error onto an InfraWatchError, keeping the cause. */
export function fromAwsError(error: unknown, doing: string): InfraWatchError {
  if (error instanceof InfraWatchError) return error;
  const e = (error ?? {}) as AwsLikeError;
  // The SDK names errors by their modelled class (MalformedPolicyDocumentException);
  // the wire code (MalformedPolicyDocument) is in Code when it differs.
  const awsCode = e.Code ?? (e.name && e.name !== 'Error' ? e.name : (e.code ?? 'Unknown'));
  const code = awsCodeMap[awsCode] ?? awsCodeMap[e.code ?? ''] ?? 'Unknown';
  const detail = e.message && e.message.length > 0 ? e.message : awsCode;
  const message = code === 'Network' ? `${doing} failed: cannot reach AWS (${detail})` : `${doing} failed: ${detail}`;
  return new InfraWatchError(code, message, { cause: error, requestId: e.$metadata?.requestId });
}

/** The full cause chain as text, for the log. */
export function describeCauses(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 8; depth += 1) {
    if (current instanceof Error) {
      const requestId =
        (current as { requestId?: string; $metadata?: { requestId?: string } }).requestId ??
        (current as { $metadata?: { requestId?: string } }).$metadata?.requestId;
      parts.push(`${current.name}: ${current.message}${requestId ? ` (request id ${requestId})` : ''}`);
      current = current.cause;
    } else {
      parts.push(String(current));
      break;
    }
  }
  return parts.join('\n  caused by ');
}
