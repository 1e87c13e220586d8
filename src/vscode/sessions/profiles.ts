// AWS profiles for sessions: "InfraWatch: Add AWS Profile for Session", "Remove AWS
// Profiles for Sessions" and the "infrawatch.awsProfiles" setting. The profiles live in a
// marked block of the user's AWS config file; their credential_process runs the helper
// shipped in the .vsix, which finds this window's endpoint through the discovery folder.
// A profile whose session ended stays in the block: its helper then says that there is no
// live session and to Request Access, and the next grant serves it again. The block goes
// when the setting is turned off or on "Remove AWS Profiles for Sessions".
import { join } from 'node:path';
import * as vscode from 'vscode';
import { getService } from '../../core/catalog';
import {
  getProfilePaths,
  readWindowFiles,
  removeWindowFile,
  writeLauncher,
  writeWindowFile,
  type DiscoveryGrant,
} from '../../core/credentials/credentialProcessDiscovery';
import { getProfileName, type ProfileEntry } from '../../core/credentials/profileBlock';
import { getAwsConfigPath, readProfileBlock, updateProfileBlock } from '../../core/credentials/profileBlockFile';
import { type Log } from '../../core/ports';
import { getSessionKey, type Session } from '../../core/session';
import { type SessionTarget, commandIds } from '../commandIds';
import { defineCommandHandlers } from '../commandRegistry';
import { getSettings } from '../config';
import { resolveSession } from './sessionCommands';
import { type SessionService } from './sessionService';

type Mode = 'off' | 'onRequest' | 'everyGrant';

export class AwsProfiles implements vscode.Disposable {
  private readonly paths;
  private readonly helper: string;
  /** What this window serves, by service:level; ended ones stay, so the helper hears why they ended. */
  private readonly grants = new Map<string, DiscoveryGrant>();
  private launcherWritten = false;
  private queue: Promise<void> = Promise.resolve();
  private readonly subscriptions: vscode.Disposable[] = [];
  private mode: Mode;

  constructor(
    private readonly sessions: SessionService,
    context: vscode.ExtensionContext,
    private readonly log: Log,
  ) {
    this.paths = getProfilePaths(join(context.globalStorageUri.fsPath, 'profiles'));
    this.helper = context.asAbsolutePath(join('dist', 'credentialProcess.js'));
    this.mode = getSettings().awsProfiles;
    this.subscriptions.push(
      // Both: a grant is served (endpoint) before it is stored (list), and publish() needs both.
      sessions.onDidChangeEndpoints(() => this.enqueue(() => this.onServed())),
      sessions.store.onDidChange(() => this.enqueue(() => this.onServed())),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('infrawatch.awsProfiles')) this.enqueue(() => this.onModeChanged());
      }),
    );
    if (this.mode !== 'off') this.enqueue(() => this.onServed());
  }

  /** "Add AWS Profile for Session" and "Remove AWS Profiles for Sessions", registered with the others. */
  getCommandHandlers() {
    return defineCommandHandlers({
      [commandIds.addAwsProfile]: { action: 'Adding an AWS profile', run: (target) => this.add(target) },
      [commandIds.removeAwsProfiles]: { action: 'Removing the AWS profiles', run: () => this.removeAll(true) },
    });
  }

  private get configPath(): string {
    return getAwsConfigPath();
  }

  /** One change at a time in this window; a failure is logged and the next change goes on. */
  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue
      .then(work)
      .catch((error: unknown) => this.log.error('AWS profiles', error instanceof Error ? error : String(error)));
  }

  /** "InfraWatch: Add AWS Profile for Session": the session's profile, shown with how to use it. */
  private async add(target: SessionTarget): Promise<void> {
    const session = await resolveSession(this.sessions, target, 'An AWS profile for which session?');
    if (!session) return;
    if (this.mode === 'off') {
      // Asking for a profile is asking for the feature; the block goes again when it is turned off.
      await vscode.workspace
        .getConfiguration('infrawatch')
        .update('awsProfiles', 'onRequest', vscode.ConfigurationTarget.Global);
      this.mode = 'onRequest';
    }
    await this.publish();
    await this.writeBlock((entries) => withEntry(entries, session));
    const name = getProfileName(session.service, session.level);
    const picked = await vscode.window.showInformationMessage(
      `Profile ${name} is in ${this.configPath}: any tool on this machine can use ${getService(session.service).displayName} ${session.level} with it, e.g. aws --profile ${name} sts get-caller-identity.`,
      'Copy Profile Name',
    );
    if (picked) await vscode.env.clipboard.writeText(name);
  }

  private async removeAll(tell: boolean): Promise<void> {
    await this.writeBlock(() => []);
    if (this.mode !== 'everyGrant') await removeWindowFile(this.paths.windowsDir);
    if (tell) void vscode.window.showInformationMessage(`The InfraWatch profiles are removed from ${this.configPath}.`);
  }

  private async onModeChanged(): Promise<void> {
    const mode = getSettings().awsProfiles;
    if (mode === this.mode) return;
    this.mode = mode;
    if (mode === 'off') {
      this.grants.clear();
      await removeWindowFile(this.paths.windowsDir);
      await this.removeAll(false);
      return;
    }
    await this.onServed();
  }

  /**
   * Keeps this window's discovery file in step; with everyGrant, each live session has its
   * profile. With onRequest and no profile in the block, no file is kept: no endpoint token
   * goes to disk for a feature nobody uses.
   */
  private async onServed(): Promise<void> {
    if (this.mode === 'off') return;
    const inUse = this.mode === 'everyGrant' || (await readProfileBlock(this.configPath).catch(() => [])).length > 0;
    if (!inUse) return removeWindowFile(this.paths.windowsDir);
    // Only the sessions the window file names: a profile is never written before its session is served.
    const served = await this.publish();
    if (this.mode !== 'everyGrant') return;
    if (served.length > 0) await this.writeBlock((entries) => served.reduce(withEntry, entries));
  }

  /** Writes this window's file; returns the live sessions it serves. */
  private async publish(): Promise<Session[]> {
    if (!this.launcherWritten) {
      await writeLauncher(this.paths, process.execPath, this.helper);
      // The files of windows that crashed: the helper skips them, this deletes them.
      await readWindowFiles(this.paths.windowsDir, { sweep: true });
      this.launcherWritten = true;
    }
    const served = this.sessions.list().filter((session) => {
      const endpoint = this.sessions.getEndpoint(session);
      if (endpoint)
        this.grants.set(getSessionKey(session.service, session.level), { uri: endpoint.uri, token: endpoint.token });
      return endpoint !== undefined;
    });
    await writeWindowFile(this.paths.windowsDir, Object.fromEntries(this.grants));
    return served;
  }

  private async writeBlock(change: (entries: ProfileEntry[]) => ProfileEntry[]): Promise<void> {
    await updateProfileBlock({ path: this.configPath, launcher: this.paths.launcher, change });
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    void removeWindowFile(this.paths.windowsDir);
  }
}

/** The entries with the session's profile in them (its region updated). */
function withEntry(entries: ProfileEntry[], session: Session): ProfileEntry[] {
  return [
    ...entries.filter((e) => e.service !== session.service || e.level !== session.level),
    { service: session.service, level: session.level, region: session.region },
  ];
}
