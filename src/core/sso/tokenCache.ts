// The SSO token cache the AWS CLI and the SDKs share: ~/.aws/sso/cache/<sha1 hex>.json, keyed by
// the sso-session name (or, for a legacy profile without one, the start URL). Same file name
// and fields as botocore's SSOTokenLoader and @smithy/shared-ini-file-loader's
// getSSOTokenFilepath / @aws-sdk/token-providers' fromSso, so `aws sso login` and InfraWatch
// reuse each other's sign-in.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as z from 'zod';
import { once } from '../../shared/lazySchema';

const getCachedTokenSchema = once(() =>
  z
    .object({
      startUrl: z.string().optional(),
      region: z.string().optional(),
      accessToken: z.string().min(1),
      /** ISO 8601 (botocore writes "…Z" without fractions; both parse). */
      expiresAt: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a date'),
      clientId: z.string().optional(),
      clientSecret: z.string().optional(),
      registrationExpiresAt: z.string().optional(),
      refreshToken: z.string().optional(),
    })
    .passthrough(),
);

export type CachedToken = z.infer<ReturnType<typeof getCachedTokenSchema>>;

/** Which cache entry a sign-in uses: the session name when there is one, else the start URL (legacy). */
export function getCacheKey(session: { name?: string; startUrl: string }): string {
  return session.name || session.startUrl;
}

export function getTokenCachePath(cacheKey: string, homeDir: string): string {
  return join(homeDir, '.aws', 'sso', 'cache', `${createHash('sha1').update(cacheKey).digest('hex')}.json`);
}

/** Seconds are enough and match what botocore writes. */
export function toCacheTime(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The cached token, or undefined when there is none or it is not a token (never throws on content). */
export async function readCachedToken(path: string): Promise<CachedToken | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = getCachedTokenSchema().safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Writes atomically, owner-only (0600 file in a 0700 folder), as the CLI does. */
export async function writeCachedToken(path: string, token: CachedToken): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(token), { encoding: 'utf8', mode: 0o600 });
  await rename(temp, path);
}

export interface TokenGrant {
  accessToken: string;
  expiresInSeconds: number;
  refreshToken?: string;
}

export interface ClientRegistration {
  clientId: string;
  clientSecret: string;
  /** Epoch seconds, as RegisterClient returns clientSecretExpiresAt. */
  expiresAtSeconds: number;
}

/** The cache entry for a fresh CreateToken answer. */
export function toCachedToken(input: {
  startUrl: string;
  region: string;
  grant: TokenGrant;
  registration: ClientRegistration;
  now: number;
  previous?: CachedToken;
}): CachedToken {
  const { grant, registration } = input;
  return {
    startUrl: input.startUrl,
    region: input.region,
    accessToken: grant.accessToken,
    expiresAt: toCacheTime(input.now + grant.expiresInSeconds * 1000),
    clientId: registration.clientId,
    clientSecret: registration.clientSecret,
    registrationExpiresAt: toCacheTime(registration.expiresAtSeconds * 1000),
    // A refresh answer may omit the refresh token: the old one stays valid then.
    ...((grant.refreshToken ?? input.previous?.refreshToken)
      ? { refreshToken: grant.refreshToken ?? input.previous?.refreshToken }
      : {}),
  };
}

/** The client registration a cached token carries, if still usable at `now`. */
export function getCachedRegistration(token: CachedToken, now: number): ClientRegistration | undefined {
  if (!token.clientId || !token.clientSecret || !token.registrationExpiresAt) return undefined;
  const expiresAtMs = Date.parse(token.registrationExpiresAt);
  if (Number.isNaN(expiresAtMs) || expiresAtMs <= now) return undefined;
  return {
    clientId: token.clientId,
    clientSecret: token.clientSecret,
    expiresAtSeconds: Math.floor(expiresAtMs / 1000),
  };
}

/** The secrets of a cache entry, for the redactor. */
export function getTokenSecrets(token: CachedToken): string[] {
  return [token.accessToken, token.refreshToken, token.clientSecret].filter((s): s is string => !!s);
}
