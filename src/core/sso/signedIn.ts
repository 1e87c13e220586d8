// An Identity Center sign-in held in memory: the access token (kept in step with the shared
// cache file, refreshed with its refresh token when it nears expiry) and, once the user has
// picked an account and permission set, role credentials from GetRoleCredentials fetched
// again before they expire. Role credentials are never written anywhere.
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { type SsoClients } from '../awsClients';
import { InfraWatchError } from '../errors';
import { type Clock } from '../ports';
import { type DeviceFlowState, runDeviceFlow, startDeviceFlow } from './deviceFlow';
import { decideExpiry, type ExpiryDecision, needsNewRoleCredentials } from './expiry';
import {
  type DeviceAuthorization,
  type SsoSession,
  getRoleCredentials,
  pollForToken,
  refreshAccessToken,
  registerClient,
  startDeviceAuthorization,
} from './portal';
import {
  type CachedToken,
  type ClientRegistration,
  getCacheKey,
  getCachedRegistration,
  getTokenCachePath,
  getTokenSecrets,
  readCachedToken,
  toCachedToken,
  writeCachedToken,
} from './tokenCache';

export interface SignInPorts {
  clients: SsoClients;
  clock: Clock;
  /** Where ~/.aws lives (the SDK's getHomeDir()). */
  homeDir: string;
  /** Every secret seen goes here first (the redactor). */
  onSecret(secret: string): void;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const expiredMessage = 'Your IAM Identity Center sign-in has expired: sign in again.';

/**
 * What the credentials provider throws once the sign-in has ended. Named as the SDK's
 * CredentialsProviderError so the sidebar treats it as "no credentials" (the welcome view
 * with Sign In), not as an AWS failure.
 */
export class SignInEndedError extends Error {
  override readonly name = 'CredentialsProviderError';
  constructor(cause: unknown) {
    super(expiredMessage, { cause });
  }
}

export class SsoSignIn {
  private refreshFailedFor: string | undefined;
  /** The portal refused the token although it had not expired by our clock (signed out, revoked). */
  ended = false;

  private constructor(
    readonly session: SsoSession,
    private token: CachedToken,
    private readonly ports: SignInPorts,
  ) {
    for (const s of getTokenSecrets(token)) ports.onSecret(s);
  }

  get cachePath(): string {
    return getTokenCachePath(getCacheKey(this.session), this.ports.homeDir);
  }

  get expiresAt(): number {
    return Date.parse(this.token.expiresAt);
  }

  /** Reuses a cached token for the session (refreshing it if due); undefined when a new sign-in is needed. */
  static async fromCache(session: SsoSession, ports: SignInPorts): Promise<SsoSignIn | undefined> {
    const cached = await readCachedToken(getTokenCachePath(getCacheKey(session), ports.homeDir));
    if (!cached || (cached.startUrl && cached.startUrl !== session.startUrl)) return undefined;
    const signIn = new SsoSignIn(session, cached, ports);
    const decision = signIn.decide();
    if (decision.kind === 'refresh') await signIn.refresh();
    return signIn.decide().kind === 'expired' ? undefined : signIn;
  }

  /**
   * The device authorization flow: registers (or reuses the cached registration), starts
   * the authorization, hands it to `show` (the code and the verification page), and polls.
   */
  static async signIn(
    session: SsoSession,
    ports: SignInPorts,
    show: (authorization: DeviceAuthorization) => void,
    signal?: AbortSignal,
  ): Promise<SsoSignIn> {
    const path = getTokenCachePath(getCacheKey(session), ports.homeDir);
    const previous = await readCachedToken(path);
    const now = ports.clock.now();
    const registration =
      (previous && previous.startUrl === session.startUrl ? getCachedRegistration(previous, now) : undefined) ??
      (await registerClient(ports.clients));
    ports.onSecret(registration.clientSecret);
    const authorization = await startDeviceAuthorization(ports.clients, registration, session.startUrl);
    ports.onSecret(authorization.deviceCode);
    show(authorization);
    const end = await runDeviceFlow(
      startDeviceFlow(authorization, ports.clock.now()),
      {
        now: () => ports.clock.now(),
        sleep: (ms, s) => ports.sleep(ms, s),
        poll: () => pollForToken(ports.clients, registration, authorization.deviceCode),
      },
      signal,
    );
    const grant = getGrant(end);
    const token = toCachedToken({
      startUrl: session.startUrl,
      region: session.region,
      grant,
      registration,
      now: ports.clock.now(),
    });
    const signIn = new SsoSignIn(session, token, ports);
    await writeCachedToken(path, token);
    return signIn;
  }

  decide(): ExpiryDecision {
    if (this.ended) return { kind: 'expired' };
    const now = this.ports.clock.now();
    return decideExpiry({
      expiresAt: this.expiresAt,
      now,
      canRefresh: !!this.token.refreshToken && !!getCachedRegistration(this.token, now),
      refreshFailed: this.refreshFailedFor === this.token.accessToken,
    });
  }

  /** CreateToken with the refresh token; the cache file gets the new token. False when it could not be done. */
  async refresh(): Promise<boolean> {
    const now = this.ports.clock.now();
    const registration: ClientRegistration | undefined = getCachedRegistration(this.token, now);
    if (!registration || !this.token.refreshToken) return false;
    try {
      const grant = await refreshAccessToken(this.ports.clients, registration, this.token.refreshToken);
      this.ports.onSecret(grant.accessToken);
      if (grant.refreshToken) this.ports.onSecret(grant.refreshToken);
      this.token = {
        ...this.token,
        ...toCachedToken({
          startUrl: this.session.startUrl,
          region: this.session.region,
          grant,
          registration,
          now,
          previous: this.token,
        }),
      };
      await writeCachedToken(this.cachePath, this.token);
      return true;
    } catch {
      this.refreshFailedFor = this.token.accessToken;
      return false;
    }
  }

  /** A usable access token: refreshed when due; an `Expired` error once the sign-in has ended. */
  async getAccessToken(): Promise<string> {
    if (this.decide().kind === 'refresh') await this.refresh();
    if (this.decide().kind === 'expired') throw new InfraWatchError('Expired', expiredMessage);
    return this.token.accessToken;
  }

  /** Base credentials of the permission set, fetched again before they expire (in memory only). */
  getCredentialsProvider(accountId: string, roleName: string): AwsCredentialIdentityProvider {
    let current: AwsCredentialIdentity | undefined;
    let pending: Promise<AwsCredentialIdentity> | undefined;
    return async () => {
      // Role credentials can outlive the token, but an ended sign-in ends the base identity.
      if (this.decide().kind === 'expired') throw new SignInEndedError(undefined);
      if (current && !needsNewRoleCredentials(current.expiration?.getTime(), this.ports.clock.now())) return current;
      pending ??= (async () => {
        try {
          const fresh = await getRoleCredentials(this.ports.clients, await this.getAccessToken(), accountId, roleName);
          this.ports.onSecret(fresh.secretAccessKey);
          if (fresh.sessionToken) this.ports.onSecret(fresh.sessionToken);
          current = fresh;
          return fresh;
        } catch (error) {
          // The portal answers UnauthorizedException once the token is no longer valid.
          const ended =
            (error instanceof InfraWatchError && error.code === 'Expired') ||
            (error as { name?: string }).name === 'UnauthorizedException';
          if (ended) {
            this.ended = true;
            throw new SignInEndedError(error);
          }
          throw error;
        } finally {
          pending = undefined;
        }
      })();
      return pending;
    };
  }

  /** The access token for the portal calls the sign-in command makes. */
  get clients(): SsoClients {
    return this.ports.clients;
  }
}

function getGrant(end: DeviceFlowState): { accessToken: string; expiresInSeconds: number; refreshToken?: string } {
  switch (end.kind) {
    case 'approved':
      return end.grant;
    case 'expired':
      throw new InfraWatchError(
        'Expired',
        'The sign-in code expired before it was approved: run Sign In with IAM Identity Center again.',
      );
    case 'denied':
      throw new InfraWatchError('AccessDenied', 'The sign-in was denied in the browser.');
    case 'failed':
      if (end.message === 'cancelled') throw new InfraWatchError('Cancelled', 'Sign-in cancelled.');
      throw new InfraWatchError('Unknown', `Signing in with IAM Identity Center failed: ${end.message}`);
    default:
      throw new InfraWatchError('Unknown', 'Signing in with IAM Identity Center did not finish.');
  }
}
