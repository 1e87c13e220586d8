// The credential_process helper shipped in the .vsix (dist/credentialProcess.js), run by the
// launcher InfraWatch writes: `credential-process <service:level>`. Its own small bundle:
// Node built-ins only, no AWS SDK, no vscode.
import { runCredentialProcess } from '../core/credentials/credentialProcess';

async function main(): Promise<void> {
  const [windowsDir, key] = process.argv.slice(2);
  const result =
    windowsDir && key
      ? await runCredentialProcess(windowsDir, key)
      : {
          code: 2,
          stdout: '',
          stderr:
            'InfraWatch credential_process: usage: credential-process <service:level>. Run "InfraWatch: Add AWS Profile for Session" in VS Code to write the profile again.\n',
        };
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  process.exitCode = result.code;
}

main().catch((error: unknown) => {
  process.stderr.write(
    `InfraWatch credential_process failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
