// When to refresh the Identity Center sign-in and when to tell the user it is ending.
// An access token is refreshed with its refresh token (CreateToken, grant refresh_token)
// inside the same window the SDK's fromSso uses (5 minutes); if that cannot be done, the
// status bar warns ahead of the end and, once it has ended, the view offers Sign In again.

/** @aws-sdk/token-providers refreshes a cached token within 5 minutes of its expiry. */
export const refreshWindowMs = 5 * 60_000;
/** How far ahead the status bar warns when the sign-in cannot be renewed silently. */
export const warnWindowMs = 15 * 60_000;

export type ExpiryDecision =
  | { kind: 'fresh'; checkAt: number }
  | { kind: 'refresh' }
  | { kind: 'endingSoon'; minutesLeft: number }
  | { kind: 'expired' };

export interface ExpiryInput {
  expiresAt: number;
  now: number;
  /** A refresh token and a client registration that has not expired. */
  canRefresh: boolean;
  /** A refresh was tried in this window and failed (do not loop on it). */
  refreshFailed?: boolean;
}

export function decideExpiry(input: ExpiryInput): ExpiryDecision {
  const left = input.expiresAt - input.now;
  if (left <= 0) return { kind: 'expired' };
  const refreshable = input.canRefresh && !input.refreshFailed;
  if (refreshable && left <= refreshWindowMs) return { kind: 'refresh' };
  if (!refreshable && left <= warnWindowMs)
    return { kind: 'endingSoon', minutesLeft: Math.max(1, Math.ceil(left / 60_000)) };
  const nextEdge = refreshable ? input.expiresAt - refreshWindowMs : input.expiresAt - warnWindowMs;
  return { kind: 'fresh', checkAt: nextEdge };
}

/** Role credentials from GetRoleCredentials are fetched again this long before they expire. */
export const roleCredentialsMarginMs = 5 * 60_000;

export function needsNewRoleCredentials(expiration: number | undefined, now: number): boolean {
  return expiration === undefined || expiration - now <= roleCredentialsMarginMs;
}
