// What SecretStorage holds under `infrawatch.sessions`: every live session in one JSON
// entry, so a write is all or nothing. Checked on restore because the entry outlives
// the code that wrote it.
import * as z from 'zod';
import { lazySchema, once } from '../../shared/lazySchema';
import { accessLevels, serviceIds } from '../catalog';
import { type Session } from '../session';

export const sessionsSecretKey = 'infrawatch.sessions';

/** Request ids are short and plain (sts/naming.ts): safe as a file name and in a message. */
export const sessionIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

const getCredentialsSchema = once(() =>
  z.object({
    accessKeyId: z.string().min(1),
    secretAccessKey: z.string().min(1),
    sessionToken: z.string().min(1),
    expiration: z.number().finite(),
  }),
);

// Loose, so optional fields added to Session later survive a restore.
const getSessionSchema = once(() =>
  z.looseObject({
    id: z.string().regex(sessionIdPattern),
    service: z.enum(serviceIds),
    level: z.enum(accessLevels),
    account: z.string(),
    region: z.string(),
    roleArn: z.string(),
    assumedRoleArn: z.string(),
    sessionName: z.string(),
    sourceIdentity: z.string(),
    requestedBy: z.string(),
    role: z.string(),
    reason: z.string().optional(),
    ticket: z.string().optional(),
    durationSeconds: z.number(),
    grantedAt: z.number(),
    policy: z.string(),
    packedPolicySize: z.number().optional(),
    credentials: getCredentialsSchema(),
  }),
);
export const sessionSchema = lazySchema(getSessionSchema);

const getStoredSessionsSchema = once(() =>
  z.object({
    version: z.literal(1),
    sessions: z.array(z.looseObject({})),
  }),
);

/** Type-level check that the schema and the Session type stay in step. */
export type StoredSession = z.infer<typeof sessionSchema>;
const sessionTypeCheck: (value: StoredSession) => Session = (value) => value;
void sessionTypeCheck;

export function getStoredSessionsText(sessions: readonly Session[]): string {
  return JSON.stringify({ version: 1, sessions });
}

/** Sessions that parse; the rest are counted, never echoed (they hold secrets). */
export function parseStoredSessions(text: string): { sessions: Session[]; rejected: number } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { sessions: [], rejected: 1 };
  }
  const stored = getStoredSessionsSchema().safeParse(raw);
  if (!stored.success) return { sessions: [], rejected: 1 };
  const sessions: Session[] = [];
  let rejected = 0;
  for (const item of stored.data.sessions) {
    const parsed = getSessionSchema().safeParse(item);
    if (parsed.success) sessions.push(parsed.data);
    else rejected += 1;
  }
  return { sessions, rejected };
}

/** Why a session left every window before its credentials expire ("replaced": renewed). */
const endedReasons = ['revoked', 'replaced', 'expired'] as const;
export type EndedReason = (typeof endedReasons)[number];

/** A session no window may serve, restore or save again, kept until its expiration. */
const getEndedEntrySchema = once(() =>
  z.object({
    id: z.string().regex(sessionIdPattern),
    expiration: z.number().finite(),
    reason: z.enum(endedReasons),
  }),
);
export const endedEntrySchema = lazySchema(getEndedEntrySchema);
export type EndedEntry = z.infer<typeof endedEntrySchema>;

// What the windows of one user say to each other over their sockets (sessionPeers.ts).
const getPeerMessageSchema = once(() =>
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('hello') }),
    z.object({
      type: z.literal('state'),
      sessions: z.array(getSessionSchema()),
      ended: z.array(getEndedEntrySchema()),
    }),
    z.object({ type: z.literal('upsert'), session: getSessionSchema() }),
    z.object({ type: z.literal('ended'), entry: getEndedEntrySchema() }),
  ]),
);
export const peerMessageSchema = lazySchema(getPeerMessageSchema);
export type PeerState = { type: 'state'; sessions: Session[]; ended: EndedEntry[] };
export type PeerMessage =
  { type: 'hello' } | PeerState | { type: 'upsert'; session: Session } | { type: 'ended'; entry: EndedEntry };
/** Type-level check that the message schema and the PeerMessage type stay in step. */
const peerMessageTypeCheck: (value: z.infer<typeof peerMessageSchema>) => PeerMessage = (value) => value;
void peerMessageTypeCheck;
