// The credential_process helper's logic: find a window that serves the session, ask its
// endpoint with the session's token, and print what credential_process must print
// (https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-sourcing-external.html):
// {"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration"} on stdout,
// or a non-zero exit with one line on stderr saying why and what to do. Kept free of the
// AWS SDK and of vscode: it runs as its own small bundle, once per client refresh.
import { request } from 'node:http';
import { readWindowFiles } from './credentialProcessDiscovery';

export interface HelperResult {
  code: number;
  stdout: string;
  stderr: string;
}

interface Answer {
  status: number;
  body: string;
}

export type GetUrl = (uri: string, token: string) => Promise<Answer>;

/** One GET to a window's endpoint, as the SDKs' container provider makes it. */
const getUrl: GetUrl = (uri, token) =>
  new Promise((resolve, reject) => {
    const req = request(
      uri,
      { headers: { Authorization: token, 'User-Agent': 'infrawatch-credential-process' }, timeout: 5_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('no answer in 5 s')));
    req.on('error', reject);
    req.end();
  });

const keyShape = /^([a-z0-9]+):([a-z]+)$/;

function fail(line: string): HelperResult {
  return { code: 1, stdout: '', stderr: `${line}\n` };
}

function describeKey(key: string): string {
  return key.replace(':', ' ');
}

/** Runs the helper for one session key (e.g. rds:read) against the windows' files in windowsDir. */
export async function runCredentialProcess(
  windowsDir: string,
  key: string,
  get: GetUrl = getUrl,
): Promise<HelperResult> {
  if (!keyShape.test(key))
    return fail(
      `InfraWatch credential_process: expected a session like rds:read, got ${JSON.stringify(key.slice(0, 40))}. Run "InfraWatch: Add AWS Profile for Session" again to rewrite the profile.`,
    );
  const label = describeKey(key);
  const windows = await readWindowFiles(windowsDir);
  if (windows.length === 0)
    return fail(
      `InfraWatch: no live session for ${label}: no VS Code window with InfraWatch is running. Open VS Code and run "InfraWatch: Request Access".`,
    );
  let refusal: string | undefined;
  let unreachable = false;
  for (const window of windows) {
    const grant = window.grants[key];
    if (!grant) continue;
    let answer: Answer;
    try {
      answer = await get(grant.uri, grant.token);
    } catch {
      unreachable = true;
      continue;
    }
    if (answer.status === 200) {
      const served = parseCredentials(answer.body);
      if (served) return { code: 0, stdout: `${JSON.stringify(served)}\n`, stderr: '' };
      refusal ??= `InfraWatch: the endpoint for ${label} answered something that is not credentials.`;
      continue;
    }
    // The endpoint's own message says why ("was revoked", "has expired") and what to do.
    refusal ??= `InfraWatch ${label}: ${readMessage(answer.body) ?? `refused (HTTP ${answer.status})`}`;
  }
  if (refusal) return fail(refusal);
  if (unreachable)
    return fail(
      `InfraWatch: no window answered for ${label} (it may be closing). Try again, or run "InfraWatch: Request Access" in VS Code.`,
    );
  return fail(
    `InfraWatch: no live session for ${label}: run "InfraWatch: Request Access" for ${label} in VS Code, then try again.`,
  );
}

function readMessage(body: string): string | undefined {
  try {
    const message = (JSON.parse(body) as { Message?: unknown }).Message;
    return typeof message === 'string' ? message.replace(/\s+/g, ' ').slice(0, 300) : undefined;
  } catch {
    return undefined;
  }
}

interface ProcessCredentials {
  Version: 1;
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  Expiration: string;
}

/** The container provider's body ({AccessKeyId, SecretAccessKey, Token, Expiration}) as credential_process output. */
function parseCredentials(body: string): ProcessCredentials | undefined {
  try {
    const c = JSON.parse(body) as Record<string, unknown>;
    const fields = [c.AccessKeyId, c.SecretAccessKey, c.Token, c.Expiration];
    if (!fields.every((f) => typeof f === 'string' && f !== '')) return undefined;
    return {
      Version: 1,
      AccessKeyId: c.AccessKeyId as string,
      SecretAccessKey: c.SecretAccessKey as string,
      SessionToken: c.Token as string,
      Expiration: c.Expiration as string,
    };
  } catch {
    return undefined;
  }
}
