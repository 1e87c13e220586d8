// What SecretStorage holds under `infrawatch.sessions`: every live session in one JSON
// entry, so a write is all or nothing. Checked on restore because the entry outlives
// the code that wrote it.
import * as z from 'zod';
import { accessLevels, serviceIds } from '../catalog';
import { type Session } from '../session';

export const sessionsSecretKey = 'infrawatch.sessions';

const credentialsSchema = z.object({
  accessKeyId: z.string().min(1),
  secretAccessKey: z.string().min(1),
  sessionToken: z.string().min(1),
  expiration: z.number().finite(),
});

// Loose, so optional fields added to Session later survive a restore.
export const sessionSchema = z.looseObject({
  id: z.string().min(1),
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
  credentials: credentialsSchema,
});

export const storedSessionsSchema = z.object({
  version: z.literal(1),
  sessions: z.array(z.looseObject({})),
});

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
  const stored = storedSessionsSchema.safeParse(raw);
  if (!stored.success) return { sessions: [], rejected: 1 };
  const sessions: Session[] = [];
  let rejected = 0;
  for (const item of stored.data.sessions) {
    const parsed = sessionSchema.safeParse(item);
    if (parsed.success) sessions.push(parsed.data);
    else rejected += 1;
  }
  return { sessions, rejected };
}
