// Which CloudWatch Logs stream of the organisation's audit group belongs to whom. Each
// writer gets streams named for its own principal, one per machine (each machine keeps its
// own local trail): `<account>/user/<name>/<machine>` for an IAM user,
// `<account>/assumed-role/<role>/<session>/<machine>` for a role session (SSO included),
// `<account>/federated-user/<name>/<machine>`, `<account>/root/<machine>`.
// The IAM kit can pin IAM users to their streams with ${aws:username} (see iam/auditWriter.ts);
// role sessions it cannot (their only per-session variable, aws:userid, holds a colon, which
// stream names refuse). Names in an ARN are `[\w+=,.@-]`, never `/` or `:`, so a name cannot
// smuggle extra segments in.
import { parseArn } from '../arn';
import { sanitizeSessionName } from '../sts/naming';

export type StreamOwner =
  | { kind: 'user' | 'federated-user'; account: string; name: string }
  | { kind: 'assumed-role'; account: string; role: string; name: string }
  | { kind: 'root'; account: string; name: 'root' };

/** `[\w+=,.@-]{1,128}`: what IAM allows in user, role, session and federated-user names. */
const namePattern = /^[\w+=,.@-]{1,128}$/;
const machinePattern = /^[A-Za-z0-9_-]{1,64}$/;
const accountPattern = /^\d{12}$/;

/** The principal behind a base-identity ARN, or undefined when it is not one a stream can name. */
export function getStreamOwner(arn: string): StreamOwner | undefined {
  const parsed = parseArn(arn);
  if (!parsed || !accountPattern.test(parsed.account)) return undefined;
  const parts = parsed.resource.split('/');
  const last = parts.at(-1) ?? '';
  if (parsed.service === 'iam' && parts[0] === 'user' && parts.length >= 2 && namePattern.test(last))
    return { kind: 'user', account: parsed.account, name: last };
  if (parsed.service === 'iam' && parsed.resource === 'root')
    return { kind: 'root', account: parsed.account, name: 'root' };
  if (
    parsed.service === 'sts' &&
    parts[0] === 'assumed-role' &&
    parts.length === 3 &&
    namePattern.test(parts[1]!) &&
    namePattern.test(last)
  ) {
    return { kind: 'assumed-role', account: parsed.account, role: parts[1]!, name: last };
  }
  if (parsed.service === 'sts' && parts[0] === 'federated-user' && parts.length === 2 && namePattern.test(last))
    return { kind: 'federated-user', account: parsed.account, name: last };
  return undefined;
}

/** The stream a writer sends to from one machine; undefined when the ARN names no principal we can. */
export function getAuditStreamName(arn: string, machine: string): string | undefined {
  const owner = getStreamOwner(arn);
  const machinePart = machine.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 64);
  if (!owner || !machinePattern.test(machinePart)) return undefined;
  if (owner.kind === 'root') return `${owner.account}/root/${machinePart}`;
  if (owner.kind === 'assumed-role') return `${owner.account}/assumed-role/${owner.role}/${owner.name}/${machinePart}`;
  return `${owner.account}/${owner.kind}/${owner.name}/${machinePart}`;
}

/** The principal a stream is named for, or undefined when its name is not one we write. */
export function parseAuditStreamName(stream: string): StreamOwner | undefined {
  const parts = stream.split('/');
  const [account = '', kind] = parts;
  if (!accountPattern.test(account) || !machinePattern.test(parts.at(-1) ?? '')) return undefined;
  if (kind === 'root' && parts.length === 3) return { kind: 'root', account, name: 'root' };
  if ((kind === 'user' || kind === 'federated-user') && parts.length === 4 && namePattern.test(parts[2]!))
    return { kind, account, name: parts[2]! };
  if (kind === 'assumed-role' && parts.length === 5 && namePattern.test(parts[2]!) && namePattern.test(parts[3]!)) {
    return { kind, account, role: parts[2]!, name: parts[3]! };
  }
  return undefined;
}

/** The owner's principal as words, for a reason shown to an admin. */
export function describeStreamOwner(owner: StreamOwner): string {
  if (owner.kind === 'assumed-role') return `${owner.role}/${owner.name} in ${owner.account}`;
  return `${owner.kind === 'root' ? 'root' : owner.name} in ${owner.account}`;
}

/**
 * Whether a record's actor is the stream's owner: the owner's own ARN, or a just-in-time
 * session the owner started (credentials.fetched names the assumed role), whose session name
 * InfraWatch derives from the owner's name (sts/naming.ts: `<name>@<request id>`).
 */
export function isActorOfOwner(actor: string, owner: StreamOwner): boolean {
  const parsed = parseArn(actor);
  if (!parsed) return false;
  const actorOwner = getStreamOwner(actor);
  if (
    actorOwner &&
    parsed.account === owner.account &&
    actorOwner.kind === owner.kind &&
    actorOwner.name === owner.name &&
    (actorOwner.kind !== 'assumed-role' || (owner.kind === 'assumed-role' && actorOwner.role === owner.role))
  )
    return true;
  const parts = parsed.resource.split('/');
  if (parsed.service !== 'sts' || parts[0] !== 'assumed-role' || parts.length !== 3) return false;
  const session = parts[2]!;
  const at = session.lastIndexOf('@');
  return at > 0 && sanitizeSessionName(owner.name, session.slice(at + 1)) === session;
}
