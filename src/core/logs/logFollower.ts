// Follow mode for the logs panel: poll FilterLogEvents from the newest event seen, less an
// overlap (CloudWatch Logs may ingest a line after a later one is already visible), and
// drop what was already shown by eventId. Memory stays bounded: only ids that a future
// poll can still return (those inside the overlap) are remembered, up to a cap.
import { type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { type Disposable } from '../ports';
import { type LogEvent, fetchLogEvents } from './fetchLogs';

export interface LogFollowerOptions {
  logGroupName: string;
  filterPattern?: string;
  /** Epoch ms of the first poll's start. */
  startTime: number;
  overlapMs?: number;
  maxRemembered?: number;
  /** Pages one poll may read before it yields (the next poll continues from there). */
  maxPagesPerPoll?: number;
}

export class LogFollower {
  private cursor: number;
  /** eventId → timestamp, in insertion order so the oldest go first. */
  private readonly seen = new Map<string, number>();
  private readonly overlapMs: number;
  private readonly maxRemembered: number;
  private readonly maxPages: number;

  constructor(
    private readonly client: CloudWatchLogsClient,
    private readonly options: LogFollowerOptions,
  ) {
    this.cursor = options.startTime;
    this.overlapMs = options.overlapMs ?? 10_000;
    this.maxRemembered = options.maxRemembered ?? 20_000;
    this.maxPages = options.maxPagesPerPoll ?? 10;
  }

  /** Marks events as already shown (the panel's initial load) so polls skip them. */
  markSeen(events: readonly LogEvent[]): void {
    for (const e of events) this.remember(e);
    this.prune();
  }

  /** The events that appeared since the last poll, oldest first. */
  async poll(signal?: AbortSignal): Promise<LogEvent[]> {
    const startTime = Math.max(this.options.startTime, this.cursor - this.overlapMs);
    const fresh: LogEvent[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < this.maxPages; page += 1) {
      const result = await fetchLogEvents(
        this.client,
        { logGroupName: this.options.logGroupName, filterPattern: this.options.filterPattern, startTime, nextToken },
        signal,
      );
      for (const e of result.events) {
        if (this.seen.has(e.id)) continue;
        this.remember(e);
        fresh.push(e);
      }
      nextToken = result.nextToken;
      if (!nextToken) break;
    }
    this.prune();
    // Stable sort: same-millisecond events keep the order the service gave them.
    return fresh.sort((a, b) => a.timestamp - b.timestamp);
  }

  /** Polls every `intervalMs` (never two at once) until disposed. */
  start(intervalMs: number, onEvents: (events: LogEvent[]) => void, onError: (error: unknown) => void): Disposable {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async (): Promise<void> => {
      try {
        const events = await this.poll(controller.signal);
        if (!controller.signal.aborted && events.length > 0) onEvents(events);
      } catch (error) {
        if (!controller.signal.aborted) onError(error);
      }
      if (!controller.signal.aborted) timer = setTimeout(() => void tick(), intervalMs);
    };
    timer = setTimeout(() => void tick(), 0);
    return {
      dispose: () => {
        controller.abort();
        if (timer) clearTimeout(timer);
      },
    };
  }

  /** How many event ids are remembered (for tests of the memory bound). */
  get rememberedCount(): number {
    return this.seen.size;
  }

  private remember(e: LogEvent): void {
    this.seen.set(e.id, e.timestamp);
    if (e.timestamp > this.cursor) this.cursor = e.timestamp;
  }

  private prune(): void {
    const horizon = this.cursor - this.overlapMs;
    for (const [id, timestamp] of this.seen) {
      if (this.seen.size <= this.maxRemembered && timestamp >= horizon) continue;
      this.seen.delete(id);
    }
  }
}
