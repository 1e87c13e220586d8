import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import {
  type AccessLoad,
  type AccessSnapshot,
  type AlarmsState,
  type DeepReadonly,
  createAccessSnapshot,
  loadingSnapshot,
} from '../core/accessSnapshot';
import { type AccessState, type PolicySource, getAccessState, needsIdentity } from '../core/accessState';
import { type AwsClients } from '../core/awsClients';
import { type ServiceId, getService } from '../core/catalog';
import { type Resource, fetchAlarms, fetchResources } from '../core/discovery';
import { fromAwsError } from '../core/errors';
import { fetchIdentity } from '../core/identity';
import { type Log } from '../core/ports';
import { createBaseClients, getProfileName } from './baseCredentials';
import { type Settings, getSettings } from './config';
import { stateContextKey, viewId } from './ids';
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

/** The base-credential clients one load made, and their region. */
type BaseClients = { clients: AwsClients; region: string };

/**
 * Who the caller is, with new base clients (in the Region of the caller's account when no
 * setting fixes one and the first guess differs). The clients are not handed out yet: on
 * any failure they are disposed here.
 */
async function identify(
  settings: Settings,
  source: PolicySource,
  policyRegion: string | undefined,
): Promise<{ state: AccessState; base: BaseClients }> {
  const first = await createBaseClients(settings, policyRegion);
  let state: AccessState;
  try {
    state = getAccessState(source, await fetchIdentity(first.clients.sts, { profile: getProfileName(settings) }));
  } catch (error) {
    first.clients.dispose();
    throw error;
  }
  if (state.kind !== 'ready' || settings.region || state.access.account.region === first.region)
    return { state, base: first };
  first.clients.dispose(); // used only to ask who the caller is
  return { state, base: await createBaseClients(settings, state.access.account.region) };
}

/**
 * Owns what the sidebar shows: the policy in force, who the caller is, and what CloudWatch
 * says about the allowed services, as one frozen snapshot replaced whole (core/accessSnapshot.ts).
 * Each refresh starts a new generation; results that arrive for an older one are dropped.
 */
export class AccessController implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<AccessSnapshot>();
  /** Fires with each new snapshot: a load finished, or its alarms arrived. */
  readonly onDidChange = this.changed.event;
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('infrawatch-policy');
  private generation = 0;
  private clients: AwsClients | undefined;
  private readonly retiring = new Map<NodeJS.Timeout, AwsClients>();
  private resources = new Map<ServiceId, Promise<Resource[]>>();
  private current: AccessSnapshot = loadingSnapshot;
  private refreshing: Promise<AccessSnapshot> | undefined;

  private lastPolicy: string | undefined;
  private readonly organisation = new OrganisationPolicy();

  private readonly policyEvents = new vscode.EventEmitter<PolicyEvent>();
  /** Each new policy text, once (loaded or rejected): for the audit trail. */
  readonly onDidReadPolicy = this.policyEvents.event;

  constructor(private readonly log: Log) {}

  /** What a reader needs, all from one load; hold it rather than reading this again midway. */
  get snapshot(): AccessSnapshot {
    return this.current;
  }

  /** The base-credential clients of the current snapshot's identity; undefined before one is known. */
  getClients(): AwsClients | undefined {
    return this.current.state.kind === 'ready' ? this.clients : undefined;
  }

  refresh(): Promise<AccessSnapshot> {
    const generation = ++this.generation;
    const run = Promise.resolve(vscode.window.withProgress({ location: { viewId } }, () => this.load(generation)));
    const settled = run.finally(() => {
      if (this.refreshing === settled) this.refreshing = undefined;
    });
    this.refreshing = settled;
    return settled;
  }

  /** The snapshot once any refresh under way has settled. */
  async whenSettled(): Promise<AccessSnapshot> {
    while (this.refreshing) await this.refreshing;
    return this.current;
  }

  private async load(generation: number): Promise<AccessSnapshot> {
    try {
      return await this.loadOnce(generation);
    } catch (error) {
      // Whatever went wrong, the view must not stay on "loading": show it as an error node.
      const failed = { kind: 'failed', error: fromAwsError(error, 'Loading InfraWatch') } as const;
      if (generation === this.generation)
        this.setState({ ...this.current, state: failed, alarms: { kind: 'loading' } });
      return this.current;
    }
  }

  /**
   * Reads the policy, then who the caller is with new clients; nothing is published until the
   * end, so no reader sees this load's policy or region beside the previous state.
   */
  private async loadOnce(generation: number): Promise<AccessSnapshot> {
    const settings = getSettings();
    // An organisation source, when configured, replaces the workspace file entirely.
    const loaded = settings.policySource ? await this.organisation.load(settings) : await loadPolicySource(settings);
    if (generation !== this.generation) return this.current;
    if ('notice' in loaded && loaded.notice) this.log.warn(loaded.notice);
    this.publishDiagnostics(loaded.uri, loaded.text, loaded.source);
    const policy = needsIdentity(loaded.source) ? loaded.source.result.policy : undefined;
    const found = policy ? await identify(settings, loaded.source, policy.accounts[0]?.region) : undefined;
    const state = found?.state ?? getAccessState(loaded.source, undefined);
    const base = found?.base;
    if (generation !== this.generation) {
      base?.clients.dispose(); // never handed out
      return this.current;
    }
    if (base) this.replaceClients(base.clients);
    const policyFile = { uri: loaded.uri?.toString(), text: loaded.text };
    this.setState({
      state,
      region: base?.region ?? this.current.region,
      policy,
      policyFile,
      alarms: { kind: 'loading' },
    });
    this.notePolicy(loaded.source, loaded.text, state); // after setState: listeners see who read it
    if (state.kind === 'ready') void this.loadAlarms(generation);
    return this.current;
  }

  private notePolicy(source: PolicySource, text: string | undefined, state: AccessState): void {
    if (source.kind !== 'file') return;
    const fingerprint = createHash('sha256')
      .update(`${source.path}\n${text ?? ''}`)
      .digest('hex');
    if (fingerprint === this.lastPolicy) return;
    this.lastPolicy = fingerprint;
    const actor = state.kind === 'ready' || state.kind === 'noRole' ? state.identity.arn : undefined;
    const problems = source.result.ok ? 0 : source.result.problems.length;
    this.policyEvents.fire({
      ok: source.result.ok,
      path: source.path,
      sha256: fingerprint,
      problems,
      actor,
      role: state.kind === 'ready' ? state.access.role : undefined,
    });
  }

  private replaceClients(next: AwsClients): void {
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
    this.clients = next;
    this.resources = new Map();
  }

  private setState(load: DeepReadonly<AccessLoad>): void {
    this.current = createAccessSnapshot(load);
    void vscode.commands.executeCommand('setContext', stateContextKey, load.state.kind);
    this.logState(this.current);
    this.changed.fire(this.current);
  }

  private logState({ state, region }: AccessSnapshot): void {
    switch (state.kind) {
      case 'ready':
        this.log.info(
          `Signed in as ${state.identity.arn}: role ${state.access.role} (matched by ${state.access.resolution.matchedBy} ${state.access.resolution.pattern}); services ${state.access.services.join(', ')}; policy ${state.policyPath}; region ${region}`,
        );
        break;
      case 'noRole':
        this.log.warn(`No role is assigned to ${state.identity.arn} in ${state.policyPath}`);
        break;
      case 'invalidPolicy':
        this.log.error(
          `The access policy ${state.path} is invalid; nothing is granted:\n${state.problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`,
        );
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
    else if (result.warnings.length > 0)
      this.diagnostics.set(uri, toDiagnostics(text, result.warnings, vscode.DiagnosticSeverity.Warning));
  }

  private async loadAlarms(generation: number): Promise<void> {
    const clients = this.clients;
    if (!clients) return;
    let alarms: AlarmsState;
    try {
      alarms = { kind: 'ok', alarms: await fetchAlarms(clients.cloudwatch) };
    } catch (error) {
      const mapped = fromAwsError(error, 'Reading alarms');
      this.log.error(mapped);
      alarms = { kind: 'failed', error: mapped };
    }
    if (generation !== this.generation) return;
    this.current = createAccessSnapshot({ ...this.current, alarms });
    this.changed.fire(this.current);
  }

  /** The resources of a service, fetched once per refresh. */
  getResources(service: ServiceId): Promise<Resource[]> {
    const cached = this.resources.get(service);
    if (cached) return cached;
    const clients = this.clients;
    if (!clients) return Promise.resolve([]);
    const pending = Promise.resolve(
      vscode.window.withProgress({ location: { viewId } }, () =>
        fetchResources(clients.cloudwatch, getService(service)),
      ),
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
