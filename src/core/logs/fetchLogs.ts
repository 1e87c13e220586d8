// One FilterLogEvents page, in the shape the panels use. CloudWatch Logs speaks epoch
// milliseconds; a page may be empty and still carry a nextToken (the search goes on).
import { type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { loadAwsSdk } from '../loadAwsSdk';
import { type ServiceSpec } from '../catalog';
import { type Resource } from '../discovery';
import { fromAwsError } from '../errors';

export interface LogEvent {
  id: string;
  timestamp: number;
  stream: string;
  message: string;
}

export interface LogQuery {
  logGroupName: string;
  filterPattern?: string;
  startTime?: number;
  endTime?: number;
  nextToken?: string;
  /** 1–10,000 events per page (the API's bounds); default 10,000. */
  limit?: number;
}

export interface LogPage {
  events: LogEvent[];
  nextToken?: string;
}

export const maxEventsPerPage = 10_000;

export async function fetchLogEvents(
  client: CloudWatchLogsClient,
  query: LogQuery,
  signal?: AbortSignal,
): Promise<LogPage> {
  const limit = Math.min(maxEventsPerPage, Math.max(1, Math.floor(query.limit ?? maxEventsPerPage)));
  const pattern = query.filterPattern?.trim();
  const { FilterLogEventsCommand } = await loadAwsSdk();
  try {
    const output = await client.send(
      new FilterLogEventsCommand({
        logGroupName: query.logGroupName,
        ...(pattern ? { filterPattern: pattern } : {}),
        ...(query.startTime !== undefined ? { startTime: Math.floor(query.startTime) } : {}),
        ...(query.endTime !== undefined ? { endTime: Math.floor(query.endTime) } : {}),
        ...(query.nextToken ? { nextToken: query.nextToken } : {}),
        limit,
      }),
      { abortSignal: signal },
    );
    const events = (output.events ?? []).map((e, i): LogEvent => ({
      // eventId is always set by AWS; the fallback only keeps a broken reply usable.
      id: e.eventId ?? `${e.logStreamName ?? ''}:${e.timestamp ?? 0}:${i}`,
      timestamp: e.timestamp ?? 0,
      stream: e.logStreamName ?? '',
      message: e.message ?? '',
    }));
    return output.nextToken ? { events, nextToken: output.nextToken } : { events };
  } catch (error) {
    throw fromAwsError(error, `Reading the log group ${query.logGroupName}`);
  }
}

/** The resource's log group from the catalog's pattern; undefined when the service has none. */
export function getLogGroupName(spec: ServiceSpec, resource: Resource): string | undefined {
  if (!spec.logGroupPattern) return undefined;
  const primary =
    resource.dimensions.find((d) => d.Name === spec.resourceDimensions[0])?.Value ?? resource.dimensions[0]?.Value;
  return primary === undefined ? undefined : spec.logGroupPattern.replace('{resource}', primary);
}
