// The local AWS endpoint in its own process, so what the bench measures in this process
// is our code only, not the endpoint's work.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';

export interface LocalAwsProcess {
  url: string;
  region: string;
  identities: {
    name: string;
    arn: string;
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken?: string;
    mfaSerial: string;
    totpSeed: string;
  }[];
  stop(): void;
}

export async function startLocalAwsProcess(): Promise<LocalAwsProcess> {
  const root = join(__dirname, '..', '..');
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'localaws', 'cli.ts'), '--port', '0'],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const first = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve(line));
    child.once('exit', (code) => reject(new Error(`the local AWS endpoint exited with ${code} before it was ready`)));
  });
  child.stdout!.resume();
  const info = JSON.parse(first) as Omit<LocalAwsProcess, 'stop'>;
  return { ...info, stop: () => child.kill('SIGTERM') };
}
