// Token files for AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: the endpoint token in a 0600
// file in a 0700 folder, so it is in no process environment. One file per served address
// (a renew keeps address and token, hence the file). When the session is withdrawn its
// token is dead: the endpoint answers it only with why the session ended. The file stays
// until the window closes, so a client in an open terminal reports InfraWatch's "was
// revoked" or "has expired" rather than "No such file or directory". Names carry the
// writer's pid, so the files of a window that crashed are swept by the next one.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type CredentialEndpoint } from './credentialServer';
import { isProcessAlive } from '../processAlive';

const suffix = '.token';

export class TokenFiles {
  /** Address → the token its file holds and the file. */
  private readonly paths = new Map<string, { token: string; path: Promise<string> }>();
  private readonly retired = new Set<string>();
  private swept = false;

  constructor(private readonly dir: string) {}

  /** The file holding this endpoint's token, written on first use (and anew when the address has a new token). */
  async getFile(endpoint: CredentialEndpoint): Promise<string> {
    const known = this.paths.get(endpoint.uri);
    if (known?.token === endpoint.token) return known.path;
    if (known) await this.retire(endpoint.uri);
    const path = this.write(endpoint.token);
    this.paths.set(endpoint.uri, { token: endpoint.token, path });
    path.catch(() => this.paths.delete(endpoint.uri));
    return path;
  }

  /** The session at this address ended (see above): its file is kept until removeAll(). */
  async retire(uri: string): Promise<void> {
    const known = this.paths.get(uri);
    this.paths.delete(uri);
    const file = await known?.path.catch(() => undefined);
    if (file !== undefined) this.retired.add(file);
  }

  /** Deletes every file this instance wrote (the window is closing). */
  async removeAll(): Promise<void> {
    const files = [
      ...this.retired,
      ...(await Promise.all([...this.paths.values()].map((known) => known.path.catch(() => '')))),
    ];
    this.paths.clear();
    this.retired.clear();
    await Promise.all(files.filter(Boolean).map((file) => rm(file, { force: true })));
  }

  private async write(token: string): Promise<string> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    if (!this.swept) await this.sweep();
    const path = join(this.dir, `${process.pid}-${randomBytes(9).toString('base64url')}${suffix}`);
    const temp = `${path}.tmp`;
    // No newline: clients send the file's whole content as the Authorization header.
    await writeFile(temp, token, { encoding: 'utf8', mode: 0o600, flag: 'wx' });
    await rename(temp, path);
    return path;
  }

  /** Removes token files whose writing process is gone. */
  private async sweep(): Promise<void> {
    this.swept = true;
    for (const name of await readdir(this.dir)) {
      const pid = Number(name.split('-')[0]);
      if (name.includes(suffix) && Number.isInteger(pid) && pid !== process.pid && !isProcessAlive(pid)) {
        await rm(join(this.dir, name), { force: true });
      }
    }
  }
}
