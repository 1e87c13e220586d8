// Reads the AssumeRole events of a time range from CloudTrail LookupEvents: one lookup
// attribute (EventName=AssumeRole; LookupEvents takes only one), StartTime/EndTime, every
// page through NextToken up to a cap. LookupEvents allows two requests a second per
// account and Region
// (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html),
// so pages are paced to stay under that; a ThrottlingException caused by someone else's
// lookups is retried with backoff by the client's standard retry (awsClients.ts).
import { type CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { loadAwsSdk } from '../loadAwsSdk';
import { type CloudTrailAssumeRole, parseAssumeRoleEvent } from './reconcileEvent';

/** LookupEvents returns at most 50 events a page. */
export const maxPageSize = 50;
/** Two lookups a second: one every 500 ms, with a little room for clock differences. */
export const lookupIntervalMs = 550;
/** CloudTrail keeps 90 days of event history to look up. */
export const lookupHistoryDays = 90;

export interface LookupOptions {
  from: Date;
  to: Date;
  pageSize?: number;
  /** At most this many pages (default 40: 2,000 events); `truncated` says when there were more. */
  maxPages?: number;
  intervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  signal?: AbortSignal;
}

export interface LookupResult {
  /** Newest first, as LookupEvents returns them. */
  events: CloudTrailAssumeRole[];
  pages: number;
  truncated: boolean;
  /** Events that were not a readable AssumeRole record. */
  skipped: number;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function lookupAssumeRoleEvents(client: CloudTrailClient, options: LookupOptions): Promise<LookupResult> {
  const { from, to } = options;
  const pageSize = Math.min(maxPageSize, Math.max(1, options.pageSize ?? maxPageSize));
  const maxPages = options.maxPages ?? 40;
  const interval = options.intervalMs ?? lookupIntervalMs;
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const { LookupEventsCommand } = await loadAwsSdk();
  const result: LookupResult = { events: [], pages: 0, truncated: false, skipped: 0 };
  let nextToken: string | undefined;
  let lastSent: number | undefined;
  do {
    if (result.pages >= maxPages) {
      result.truncated = true;
      break;
    }
    if (lastSent !== undefined) {
      const wait = lastSent + interval - now();
      if (wait > 0) await sleep(wait);
    }
    lastSent = now();
    const out = await client.send(
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'AssumeRole' }],
        StartTime: from,
        EndTime: to,
        MaxResults: pageSize,
        ...(nextToken ? { NextToken: nextToken } : {}),
      }),
      { abortSignal: options.signal },
    );
    result.pages += 1;
    for (const event of out.Events ?? []) {
      const parsed = parseAssumeRoleEvent(event);
      if (parsed) result.events.push(parsed);
      else result.skipped += 1;
    }
    nextToken = out.NextToken;
  } while (nextToken);
  return result;
}
