// One CloudTrail AssumeRole event, as LookupEvents returns it (an Event whose
// CloudTrailEvent is the record as a JSON string), reduced to what reconciliation and the
// admin panel need: who, when, which role, which session name, tags and SourceIdentity,
// and which credentials it issued. The record's shape is CloudTrail's
// (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html);
// anything that does not parse is skipped by the caller, not guessed at. Pure.
import * as z from 'zod';
import { once } from '../../shared/lazySchema';

export interface SessionTag {
  key: string;
  value: string;
}

export interface CloudTrailAssumeRole {
  eventId: string;
  /** Epoch ms. */
  time: number;
  region?: string;
  /** userIdentity.arn: the caller as GetCallerIdentity would name it. */
  callerArn: string;
  /** userIdentity.type: IAMUser, AssumedRole, Root, … */
  callerType?: string;
  roleArn: string;
  sessionName: string;
  tags: SessionTag[];
  sourceIdentity?: string;
  durationSeconds?: number;
  /** responseElements.credentials.accessKeyId: the session's own key id. */
  issuedAccessKeyId?: string;
  /** Set when AWS refused the call (no session was made). */
  errorCode?: string;
}

const getText = once(() => z.string().max(4096));

const getRecordSchema = once(() =>
  z.looseObject({
    eventName: z.literal('AssumeRole'),
    eventSource: z.literal('sts.amazonaws.com'),
    eventID: getText().optional(),
    eventTime: getText().optional(),
    awsRegion: getText().optional(),
    errorCode: getText().optional(),
    userIdentity: z
      .looseObject({
        type: getText().optional(),
        arn: getText().optional(),
        principalId: getText().optional(),
        accountId: getText().optional(),
      })
      .optional(),
    requestParameters: z
      .looseObject({
        roleArn: getText(),
        roleSessionName: getText(),
        durationSeconds: z.number().int().optional(),
        sourceIdentity: getText().optional(),
        tags: z
          .array(z.looseObject({ key: getText(), value: z.string().max(4096) }))
          .max(50)
          .optional(),
      })
      .nullish(),
    responseElements: z
      .looseObject({
        credentials: z.looseObject({ accessKeyId: getText().optional() }).optional(),
      })
      .nullish(),
  }),
);

export interface LookedUpEvent {
  EventId?: string;
  EventTime?: Date;
  CloudTrailEvent?: string;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The caller: the ARN when CloudTrail gives one, else what it does give (an AWS service, say). */
function callerOf(identity: z.infer<ReturnType<typeof getRecordSchema>>['userIdentity']): string {
  return identity?.arn ?? identity?.principalId ?? identity?.type ?? 'unknown';
}

/** The AssumeRole event, or undefined when the event is another one or does not parse. */
export function parseAssumeRoleEvent(event: LookedUpEvent): CloudTrailAssumeRole | undefined {
  if (!event.CloudTrailEvent) return undefined;
  const parsed = getRecordSchema().safeParse(parseJson(event.CloudTrailEvent));
  if (!parsed.success || !parsed.data.requestParameters) return undefined;
  const record = parsed.data;
  const request = parsed.data.requestParameters;
  const time = event.EventTime?.getTime() ?? (record.eventTime ? Date.parse(record.eventTime) : NaN);
  const eventId = event.EventId ?? record.eventID;
  if (!Number.isFinite(time) || !eventId) return undefined;
  const issued = record.responseElements?.credentials?.accessKeyId;
  return {
    eventId,
    time,
    ...(record.awsRegion ? { region: record.awsRegion } : {}),
    callerArn: callerOf(record.userIdentity),
    ...(record.userIdentity?.type ? { callerType: record.userIdentity.type } : {}),
    roleArn: request.roleArn,
    sessionName: request.roleSessionName,
    tags: (request.tags ?? []).map((t) => ({ key: t.key, value: t.value })),
    ...(request.sourceIdentity ? { sourceIdentity: request.sourceIdentity } : {}),
    ...(request.durationSeconds !== undefined ? { durationSeconds: request.durationSeconds } : {}),
    ...(issued ? { issuedAccessKeyId: issued } : {}),
    ...(record.errorCode ? { errorCode: record.errorCode } : {}),
  };
}
