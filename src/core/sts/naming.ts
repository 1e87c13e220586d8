// Names AWS records for a session: the RoleSessionName (in every CloudTrail event and the
// assumed-role ARN) and the SourceIdentity (carried down any chain), both derived from who
// asked, plus the short request id that ties AWS's records to ours.
import { randomBytes } from 'node:crypto';
import { getUserName, parseArn } from '../arn';

const maxNameChars = 64;
const fallbackName = 'infrawatch-user';

/** 10 lowercase hex characters (40 random bits): short enough for a session name. */
export function newRequestId(): string {
  return randomBytes(5).toString('hex');
}

/** The person behind an ARN: IAM user name, role session name, federated user, or "root". */
export function getCallerName(arn: string): string {
  const userName = getUserName(arn);
  if (userName) return userName;
  const parsed = parseArn(arn);
  if (!parsed) return arn;
  const parts = parsed.resource.split('/');
  if (parsed.service === 'sts' && parts[0] === 'assumed-role' && parts[2]) return parts.slice(2).join('/');
  if (parsed.service === 'sts' && parts[0] === 'federated-user' && parts[1]) return parts[1];
  if (parsed.resource === 'root') return 'root';
  return parts[parts.length - 1] ?? arn;
}

/** AWS names allow `[\w+=,.@-]`: accents are dropped ("José" → "Jose"), other runs become "-". */
function toNameChars(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\w+=,.@-]+/g, '-');
}

/**
 * `<user>@<requestId>`, within AWS's 2–64 characters: the user part is shortened, never the
 * request id, so the name still leads back to our records.
 */
export function sanitizeSessionName(user: string, requestId: string): string {
  const id = toNameChars(requestId)
    .replace(/^-+|-+$/g, '')
    .slice(0, 32);
  const room = maxNameChars - (id ? id.length + 1 : 0);
  const userPart =
    toNameChars(user)
      .replace(/^-+|-+$/g, '')
      .slice(0, room) || fallbackName.slice(0, Math.max(2, room));
  const name = id ? `${userPart}@${id}` : userPart;
  return name.length >= 2 ? name : name.padEnd(2, '_');
}

/** The user as a SourceIdentity: 2–64 allowed characters, never the reserved `aws:` prefix. */
export function sanitizeSourceIdentity(user: string): string {
  const cleaned = toNameChars(user)
    .replace(/^-+|-+$/g, '')
    .replace(/^aws:/i, '')
    .slice(0, maxNameChars);
  if (cleaned.length === 0) return fallbackName;
  return cleaned.length >= 2 ? cleaned : cleaned.padEnd(2, '_');
}

/**
 * The session tags the broker sends, and the only ones the IAM kit's roles accept
 * (src/core/iam/trustPolicy.ts). Reason and ticket go only with grants that require them.
 */
export const sessionTagKeys = {
  requestId: 'infrawatch:request-id',
  service: 'infrawatch:service',
  level: 'infrawatch:level',
  reason: 'infrawatch:reason',
  ticket: 'infrawatch:ticket',
} as const;

/** A StringLike pattern every request id matches: exactly 10 characters (newRequestId). */
export const requestIdTagPattern = '??????????';

/** AWS's session tag value limit, in characters. */
const tagValueMaxChars = 256;

/**
 * Free text (a reason) as a session tag value: AWS allows only letters, digits, spaces and
 * `_ . : / = + - @`, up to 256 characters. Other characters become spaces, runs of spaces
 * one, and the text is cut at 256; the audit record keeps the reason as typed.
 */
export function toTagValue(text: string): string {
  const cleaned = text
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N}_.:/=+\-@]+/gu, ' ')
    .trim();
  const cut = Array.from(cleaned).slice(0, tagValueMaxChars).join('').trimEnd();
  // A reason of only symbols ("!!!") still says one was given.
  return cut === '' ? '-' : cut;
}
