// The OAuth 2.0 device authorization grant (RFC 8628) as IAM Identity Center's OIDC service
// runs it: StartDeviceAuthorization gives a device code, a user code, an interval and a
// lifetime; CreateToken is polled until the user approves in the browser. Pure transitions
// here, so each answer (pending, slow_down, expired, denied, approved) is tested on its own.
// https://docs.aws.amazon.com/singlesignon/latest/OIDCAPIReference/API_CreateToken.html
// https://www.rfc-editor.org/rfc/rfc8628#section-3.5

/** RFC 8628 §3.2: the interval when the server names none. */
const defaultIntervalSeconds = 5;
/** RFC 8628 §3.5: slow_down adds five seconds "for this and all subsequent requests". */
const slowDownStepSeconds = 5;

export type DeviceFlowState =
  | { kind: 'pending'; intervalSeconds: number; nextPollAt: number; deadline: number }
  | { kind: 'approved'; grant: { accessToken: string; expiresInSeconds: number; refreshToken?: string } }
  | { kind: 'expired' }
  | { kind: 'denied' }
  | { kind: 'failed'; message: string };

/** What one CreateToken poll came back with. */
export type PollOutcome =
  | { kind: 'token'; accessToken?: string; expiresIn?: number; refreshToken?: string }
  | { kind: 'error'; name: string; message?: string };

export function startDeviceFlow(
  authorization: { expiresIn?: number; interval?: number },
  now: number,
): DeviceFlowState {
  const intervalSeconds =
    authorization.interval && authorization.interval > 0 ? authorization.interval : defaultIntervalSeconds;
  return {
    kind: 'pending',
    intervalSeconds,
    nextPollAt: now + intervalSeconds * 1000,
    deadline: now + (authorization.expiresIn ?? 600) * 1000,
  };
}

export function isSettled(state: DeviceFlowState): boolean {
  return state.kind !== 'pending';
}

/** The state after one poll's outcome, observed at `now`. */
export function onPollOutcome(state: DeviceFlowState, outcome: PollOutcome, now: number): DeviceFlowState {
  if (state.kind !== 'pending') return state;
  if (outcome.kind === 'token') {
    if (!outcome.accessToken || !outcome.expiresIn)
      return { kind: 'failed', message: 'Identity Center answered without an access token.' };
    return {
      kind: 'approved',
      grant: {
        accessToken: outcome.accessToken,
        expiresInSeconds: outcome.expiresIn,
        ...(outcome.refreshToken ? { refreshToken: outcome.refreshToken } : {}),
      },
    };
  }
  switch (outcome.name) {
    case 'AuthorizationPendingException':
      return schedule(state, state.intervalSeconds, now);
    case 'SlowDownException':
      return schedule(state, state.intervalSeconds + slowDownStepSeconds, now);
    case 'ExpiredTokenException':
      return { kind: 'expired' };
    case 'AccessDeniedException':
      return { kind: 'denied' };
    default:
      return { kind: 'failed', message: `${outcome.name}${outcome.message ? `: ${outcome.message}` : ''}` };
  }
}

function schedule(
  state: Extract<DeviceFlowState, { kind: 'pending' }>,
  intervalSeconds: number,
  now: number,
): DeviceFlowState {
  const nextPollAt = now + intervalSeconds * 1000;
  // The device code dies at its deadline; polling past it could only get ExpiredTokenException.
  if (nextPollAt > state.deadline) return { kind: 'expired' };
  return { ...state, intervalSeconds, nextPollAt };
}

export interface DeviceFlowPorts {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** One CreateToken call with the device code; resolves to its outcome, never rejects for an OIDC error. */
  poll(): Promise<PollOutcome>;
}

/** Polls until the flow settles or `signal` aborts (then `failed` with "cancelled"). */
export async function runDeviceFlow(
  first: DeviceFlowState,
  ports: DeviceFlowPorts,
  signal?: AbortSignal,
): Promise<DeviceFlowState> {
  let state = first;
  while (state.kind === 'pending') {
    const wait = state.nextPollAt - ports.now();
    if (wait > 0) await ports.sleep(wait, signal);
    if (signal?.aborted) return { kind: 'failed', message: 'cancelled' };
    state = onPollOutcome(state, await ports.poll(), ports.now());
  }
  return state;
}
