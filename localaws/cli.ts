// `npm run localaws -- [--port N] [--host H]`: runs the local AWS endpoint on its own.
// The FIRST stdout line is one JSON object (url, region, accountId, identities with their
// DEMO-ONLY keys and TOTP seeds) for a parent process to read; human-readable lines
// follow. SIGINT/SIGTERM stop it cleanly.

import { startLocalAws } from './server/server';
import { demoSsoPassword, demoSsoRegion, demoSsoStartUrl, demoSsoUser } from './sso/directory';

function readFlag(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  if (index >= 0) return args[index + 1];
  return args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

function parsePort(text: string | undefined): number {
  if (text === undefined) return 0;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be an integer 0–65535: ${text}`);
  return port;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const aws = await startLocalAws({ port: parsePort(readFlag(args, 'port')), host: readFlag(args, 'host') });
  const identities = aws.identities.map(
    ({ name, arn, accessKeyId, secretAccessKey, sessionToken, mfaSerial, totpSeed }) => ({
      name,
      arn,
      accessKeyId,
      secretAccessKey,
      sessionToken,
      mfaSerial,
      totpSeed,
    }),
  );
  process.stdout.write(
    `${JSON.stringify({ url: aws.url, region: aws.region, accountId: aws.accountId, identities })}\n`,
  );
  process.stdout.write(`Local AWS endpoint listening on ${aws.url} (account ${aws.accountId}, ${aws.region})\n`);
  for (const identity of aws.identities) process.stdout.write(`  ${identity.name.padEnd(10)} ${identity.arn}\n`);
  process.stdout.write(
    `MFA codes: GET ${aws.url}/_localaws/totp/<name>   e.g. curl -s ${aws.url}/_localaws/totp/employee\n`,
  );
  process.stdout.write(
    `IAM Identity Center: start URL ${demoSsoStartUrl} (${demoSsoRegion}), user ${demoSsoUser} / ${demoSsoPassword} + MFA code of 'sso'; approve at ${aws.url}/sso/device\n`,
  );
  process.stdout.write('Ctrl-C stops it.\n');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`Stopping the local AWS endpoint (${signal}).\n`);
    aws.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`localaws failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
