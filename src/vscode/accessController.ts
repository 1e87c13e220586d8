import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import { type AccessState, type IdentityResult, type PolicySource, getAccessState, needsIdentity } from '../core/accessState';
import { type AwsClients } from '../core/awsClients';
import { type ServiceId, getService } from '../core/catalog';
import { type AlarmSummary, type Resource, fetchAlarms, fetchResources } from '../core/discovery';
import { fromAwsError } from '../core/errors';
import { fetchIdentity } from '../core/identity';
import { type Log } from '../core/ports';
import { type AccessPolicy } from '../core/policy/schema';
import { createBaseClients, getProfileName } from './baseCredentials';
import { getSettings } from './config';
import { viewId } from './ids';
import { OrganisationPolicy } from './organisationPolicy';
import { loadPolicySource, toDiagnostics } from './policySource';

/** How long replaced clients stay usable for calls already under way. */
const retireAfterMs = 120_000;

export interface PolicyEvent {
  ok: boolean;
  path: string;
  sha256: string;
  problems: number;
  actor?: string;
  role?: string;
}

export type AlarmsState = { kind: 'loading' } | { kind: 'ok'; alarms: AlarmSummary[] } | { kind: 'failed'; error: Error };

/**
 * Owns what the sidebar shows: the policy in force, who the caller is, and what CloudWatch
 * says about the allowed services. Each refresh starts a new generation; results that
 * arrive for an older one are dropped.
 */
export class AccessController implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('infrawatch-policy');
  private generation = 0;
  private clients: AwsClients | undefined;
  private readonly retiring = new Map<NodeJS.Timeout, AwsClients>();
  private resources = new Map<ServiceId, Promise<Resource[]>>();
  private current: AccessState = { kind: 'loading' };
  private alarmsState: AlarmsState = { kind: 'loading' };
  private refreshing: Promise<AccessState> | undefined;
  region = 'us-east-1';
  /** The policy file as last read, for locating problems in it. */
  policyFile: { uri?: vscode.Uri; text?: string } = {};
  /** The parsed policy in force (for the admin panel); undefined when none is valid. */
  policy: AccessPolicy | undefined;

  private lastPolicy: string | undefined;
  private readonly organisation = new OrganisationPolicy();

  private readonly policyEvents = new vscode.EventEmitter<PolicyEvent>();
  /** Each new policy text, once (loaded or rejected): for the audit trail. */
  readonly onDidReadPolicy = this.policyEvents.event;

  constructor(private readonly log: Log) {}

  get state(): AccessState {
    return this.current;
  }

  get alarms(): AlarmsState {
    return this.alarmsState;
  }

  /** The base-credential clients of the current identity; undefined before one is known. */
  getClients(): AwsClients | undefined {
    return this.current.kind === 'ready' ? this.clients : undefined;
  }

  refresh(): Promise<AccessState> {
    const generation = ++this.generation;
    const run = Promise.resolve(vscode.window.withProgress({ location: { viewId } }, () => this.load(generation)));
    const settled = run.finally(() => {
      if (this.refreshing === settled) this.refreshing = undefined;
    });
    this.refreshing = settled;
    return settled;
  }

  /** The state once any refresh under way has settled. */
  async whenSettled(): Promise<AccessState> {
    while (this.refreshing) await this.refreshing;
    return this.current;
  }

  private async load(generation: number): Promise<AccessState> {
    try {
      return await this.loadOnce(generation);
    } catch (error) {
      // Whatever went wrong, the view must not stay on "loading": show it as an error node.
      if (generation === this.generation) this.setState({ kind: 'failed', error: fromAwsError(error, 'Loading InfraWatch') });
      return this.current;
    }
  }

  private async loadOnce(generation: number): Promise<AccessState> {
    const settings = getSettings();
    // An organisation source, when configured, replaces the workspace file entirely.
    const loaded = settings.policySource ? await this.organisation.load(settings) : await loadPolicySource(settings);
    if (generation !== this.generation) return this.current;
    if ('notice' in loaded && loaded.notice) this.log.warn(loaded.notice);
    this.publishDiagnostics(loaded.uri, loaded.text, loaded.source);
    this.policyFile = { uri: loaded.uri, text: loaded.text };
    this.policy = needsIdentity(loaded.source) ? loaded.source.result.policy : undefined;
    let identity: IdentityResult | undefined;
    if (needsIdentity(loaded.source)) {
      const policy = loaded.source.result.policy;
      this.replaceClients(await createBaseClients(settings, policy.accounts[0]?.region));
      identity = await fetchIdentity(this.clients!.sts, { profile: getProfileName(settings) });
      if (generation !== this.generation) return this.current;
    }
    const state = getAccessState(loaded.source, identity);
    if (state.kind === 'ready' && !settings.region && state.access.account.region !== this.region) {
      this.replaceClients(await createBaseClients(settings, state.access.account.region));
    }
    this.setState(state);
    this.notePolicy(loaded.source, loaded.text, state); // after setState: listeners see who read it
    if (state.kind === 'ready') void this.loadAlarms(generation);
    return state;
  }

  private notePolicy(source: PolicySource, text: string | undefined, state: AccessState): void {
    if (source.kind !== 'file') return;
    const fingerprint = createHash('sha256').update(`${source.path}\n${text ?? ''}`).digest('hex');
    if (fingerprint === this.lastPolicy) return;
    this.lastPolicy = fingerprint;
    const actor = state.kind === 'ready' || state.kind === 'noRole' ? state.identity.arn : undefined;
    const problems = source.result.ok ? 0 : source.result.problems.length;
    this.policyEvents.fire({ ok: source.result.ok, path: source.path, sha256: fingerprint, problems, actor, role: state.kind === 'ready' ? state.access.role : undefined });
  }

  private replaceClients(next: { clients: AwsClients; region: string }): void {
    // A call may still be in flight on the old clients (an AssumeRole with a one-time MFA
    // code, which a destroyed client would retry and AWS would refuse): let it finish.
    const old = this.clients;
    if (old) {
      const timer: NodeJS.Timeout = setTimeout(() => {
        this.retiring.delete(timer);
        old.dispose();
      }, retireAfterMs);
      this.retiring.set(timer, old);
    }
    this.clients = next.clients;
    this.region = next.region;
    this.resources = new Map();
  }

  private setState(state: AccessState): void {
    this.current = state;
    this.alarmsState = { kind: 'loading' };
    void vscode.commands.executeCommand('setContext', 'infrawatch.state', state.kind);
    this.logState(state);
    this.changed.fire();
  }

  private logState(state: AccessState): void {
    switch (state.kind) {
      case 'ready':
        this.log.info(`Signed in as ${state.identity.arn}: role ${state.access.role} (matched by ${state.access.resolution.matchedBy} ${state.access.resolution.pattern}); services ${state.access.services.join(', ')}; policy ${state.policyPath}; region ${this.region}`);
        break;
      case 'noRole':
        this.log.warn(`No role is assigned to ${state.identity.arn} in ${state.policyPath}`);
        break;
      case 'invalidPolicy':
        this.log.error(`The access policy ${state.path} is invalid; nothing is granted:\n${state.problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`);
        break;
      case 'noCredentials':
      case 'failed':
        this.log.error(state.error);
        break;
      default:
        this.log.info(`Access state: ${state.kind}`);
    }
  }

  private publishDiagnostics(uri: vscode.Uri | undefined, text: string | undefined, source: PolicySource): void {
    this.diagnostics.clear();
    if (!uri || source.kind !== 'file') return;
    const { result } = source;
    // Problems void the policy; warnings (e.g. write access without MFA) only advise.
    if (!result.ok) this.diagnostics.set(uri, toDiagnostics(text, result.problems));
    else if (result.warnings.length > 0) this.diagnostics.set(uri, toDiagnostics(text, result.warnings, vscode.DiagnosticSeverity.Warning));
  }

  private async loadAlarms(generation: number): Promise<void> {
    const clients = this.clients;
    if (!clients) return;
    try {
      const alarms = await fetchAlarms(clients.cloudwatch);
      if (generation === this.generation) this.alarmsState = { kind: 'ok', alarms };
    } catch (error) {
      const mapped = fromAwsError(error, 'Reading alarms');
      this.log.error(mapped);
      if (generation === this.generation) this.alarmsState = { kind: 'failed', error: mapped };
    }
    if (generation === this.generation) this.changed.fire();
  }

  /** The resources of a service, fetched once per refresh. */
  getResources(service: ServiceId): Promise<Resource[]> {
    const cached = this.resources.get(service);
    if (cached) return cached;
    const clients = this.clients;
    if (!clients) return Promise.resolve([]);
    const pending = Promise.resolve(
      vscode.window.withProgress({ location: { viewId } }, () => fetchResources(clients.cloudwatch, getService(service))),
    ).then(undefined, (error: unknown) => {
      if (this.resources.get(service) === pending) this.resources.delete(service); // the next expand tries again
      const mapped = fromAwsError(error, `Listing ${getService(service).displayName} resources`);
      this.log.error(mapped);
      throw mapped;
    });
    this.resources.set(service, pending);
    return pending;
  }

  dispose(): void {
    this.generation += 1;
    for (const [timer, clients] of this.retiring) {
      clearTimeout(timer);
      clients.dispose();
    }
    this.clients?.dispose();
    this.diagnostics.dispose();
    this.changed.dispose();
    this.policyEvents.dispose();
  }
}
