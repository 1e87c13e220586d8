// Shared by the credentials and audit tests: sessions with realistic secrets, a movable
// clock, fake timers and an in-memory SecretStore.
import { randomBytes } from 'node:crypto';
import { type AccessLevel, type ServiceId } from '../../src/core/catalog';
import { type Clock, type Log, type SecretStore } from '../../src/core/ports';
import { type Session } from '../../src/core/session';
import { type TimerFunctions } from '../../src/core/credentials/timers';

let counter = 0;

export function makeSession(overrides: {
  service?: ServiceId;
  level?: AccessLevel;
  expiration: number;
  id?: string;
  region?: string;
}): Session {
  counter += 1;
  const id = overrides.id ?? `req${counter}${randomBytes(3).toString('hex')}`;
  const service = overrides.service ?? 'rds';
  const level = overrides.level ?? 'read';
  return {
    id,
    service,
    level,
    account: '123456789012',
    region: overrides.region ?? 'eu-west-1',
    roleArn: `arn:aws:iam::123456789012:role/InfraWatch-${service}-${level}`,
    assumedRoleArn: `arn:aws:sts::123456789012:assumed-role/InfraWatch-${service}-${level}/alice-${id}`,
    sessionName: `alice-${id}`,
    sourceIdentity: 'alice',
    requestedBy: 'arn:aws:iam::123456789012:user/alice',
    role: 'Employee',
    reason: 'investigate latency',
    durationSeconds: 1800,
    grantedAt: overrides.expiration - 1_800_000,
    policy: '{"Version":"2012-10-17","Statement":[]}',
    credentials: {
      accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: `IQoJb3JpZ2luX2VjE${randomBytes(300).toString('base64')}`,
      expiration: overrides.expiration,
    },
  };
}

export class FakeClock implements Clock {
  constructor(public time = Date.UTC(2025, 0, 15, 12, 0, 0)) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

interface FakeTimer {
  id: number;
  due: number;
  every?: number;
  callback: () => void;
}

/**
 * Timers that run only when the test says so. Like Node's, they follow a monotonic clock
 * that stops while the machine sleeps; the FakeClock is the wall clock, which a test can
 * jump (a resume, an NTP correction) without firing anything.
 */
export class FakeTimers implements TimerFunctions {
  private timers = new Map<number, FakeTimer>();
  private nextId = 1;
  private monotonic = 0;
  constructor(private readonly clock: FakeClock) {}

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { id, due: this.monotonic + ms, callback });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  setInterval(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { id, due: this.monotonic + ms, every: ms, callback });
    return id;
  }
  clearInterval(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  get count(): number {
    return this.timers.size;
  }
  /** Time passes while awake: both clocks move, due timers fire in order. */
  advance(ms: number): void {
    const end = this.monotonic + ms;
    for (;;) {
      const next = [...this.timers.values()]
        .filter((t) => t.due <= end)
        .sort((a, b) => a.due - b.due || a.id - b.id)[0];
      if (next === undefined) break;
      this.clock.time += next.due - this.monotonic;
      this.monotonic = next.due;
      if (next.every === undefined) this.timers.delete(next.id);
      else next.due += Math.max(1, next.every);
      next.callback();
    }
    this.clock.time += end - this.monotonic;
    this.monotonic = end;
  }
  /** Fires the timers already due (a zero delay). */
  runDue(): void {
    this.advance(0);
  }
}

export class MemorySecretStore implements SecretStore {
  readonly values = new Map<string, string>();
  writes = 0;
  failNext = false;
  async get(key: string): Promise<string | undefined> {
    return this.values.get(key);
  }
  async store(key: string, value: string): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('keychain unavailable');
    }
    this.writes += 1;
    this.values.set(key, value);
  }
  async delete(key: string): Promise<void> {
    this.writes += 1;
    this.values.delete(key);
  }
}

/** A Log that keeps every line, to scan for secrets. */
export class CapturingLog implements Log {
  readonly lines: string[] = [];
  private add(level: string, message: string | Error, args: unknown[]): void {
    this.lines.push(
      `${level} ${message instanceof Error ? message.message : message} ${args.map((a) => JSON.stringify(a)).join(' ')}`,
    );
  }
  trace(message: string, ...args: unknown[]): void {
    this.add('trace', message, args);
  }
  debug(message: string, ...args: unknown[]): void {
    this.add('debug', message, args);
  }
  info(message: string, ...args: unknown[]): void {
    this.add('info', message, args);
  }
  warn(message: string, ...args: unknown[]): void {
    this.add('warn', message, args);
  }
  error(message: string | Error, ...args: unknown[]): void {
    this.add('error', message, args);
  }
}

/** Every secret a session carries, for "appears nowhere" assertions. */
export function getSecrets(session: Session): string[] {
  return [session.credentials.secretAccessKey, session.credentials.sessionToken];
}
