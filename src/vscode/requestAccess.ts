import { type Access } from '../core/accessState';
import { isRoleSession } from '../core/arn';
import { type AccessLevel, type ServiceId, getService } from '../core/catalog';
import { getIdentityKind } from '../core/identity';
import { describeMfaMethod, getMfaMethod, needsTotp } from '../core/policy/mfa';
import { type EffectiveGrant } from '../core/policy/roles';
import {
  type DurationChoice,
  formatDuration,
  getAssumedRoleMaxSessionSeconds,
  getDurationCap,
  getDurationChoices,
} from '../core/sts/duration';
import { checkReason, checkTicket } from '../core/requestText';
import { checkTokenCode, normalizeTokenCode } from '../core/sts/rules';
import { type StepResult, back, inputStep, pickStep } from './quickInput';

// The questions of "InfraWatch: Request Access", as a multi-step quick input whose steps
// depend on the grant (reason, ticket and MFA only when the grant asks for them).

export interface RequestAnswers {
  service?: ServiceId;
  level?: AccessLevel;
  durationSeconds?: number;
  reason?: string;
  ticket?: string;
  tokenCode?: string;
}

const title = 'InfraWatch: Request Access';

function getGrant(access: Access, answers: RequestAnswers): EffectiveGrant | undefined {
  return access.grants.find((g) => g.service === answers.service && g.level === answers.level);
}

type Step = (index: number, total: number) => Promise<StepResult<void>>;
type Frame = { title: string; step: number; totalSteps: number; canGoBack: boolean };
/** The answers given before the questions: service and level, or all of them (`reused`). */
export type Fixed = { service: boolean; level: boolean; reused?: boolean };

/** The steps still to ask, in order, given what is known so far. */
function planSteps(
  access: Access,
  callerArn: string,
  answers: RequestAnswers,
  fixed: Fixed,
  mfaMessage?: string,
): Step[] {
  const steps: Step[] = [];
  const frame = (index: number, total: number) => ({ title, step: index + 1, totalSteps: total, canGoBack: index > 0 });
  // A renew reuses the last answers: only what they lack is asked (and the MFA code).
  const known = (answer: unknown) => fixed.reused === true && answer !== undefined;
  if (!fixed.service) steps.push((i, n) => askService(access, answers, frame(i, n)));
  if (!fixed.level) steps.push((i, n) => askLevel(access, callerArn, answers, frame(i, n)));
  if (!known(answers.durationSeconds)) steps.push((i, n) => askDuration(access, callerArn, answers, frame(i, n)));
  const grant = getGrant(access, answers);
  if ((grant?.reason ?? true) && !known(answers.reason)) steps.push((i, n) => askText(answers, 'reason', frame(i, n)));
  if (grant?.ticket && !known(answers.ticket)) steps.push((i, n) => askText(answers, 'ticket', frame(i, n)));
  // A TOTP code only where the grant's MFA for this caller's kind is TOTP: an Identity Center
  // or SAML session met it at its sign-in and has no device to present (policy/mfa.ts).
  if (grant ? needsTotp(grant, getIdentityKind(callerArn)) : true)
    steps.push((i, n) => askMfa(answers, frame(i, n), mfaMessage));
  return steps;
}

/**
 * Asks what is missing; Back goes one step back and keeps the answers. With `mfaMessage`
 * only the MFA step is asked again (AWS rejected the code; the other answers stand).
 */
export async function askRequest(
  access: Access,
  callerArn: string,
  answers: RequestAnswers,
  fixed: Fixed,
  mfaMessage?: string,
): Promise<RequestAnswers> {
  let index = 0;
  for (;;) {
    const steps = planSteps(access, callerArn, answers, fixed, mfaMessage);
    if (mfaMessage && steps.length > 0) {
      const last = steps.length - 1;
      const result = await steps[last]!(last, steps.length);
      if (result !== back) return answers;
      mfaMessage = undefined;
      index = Math.max(0, last - 1);
      continue;
    }
    if (index >= steps.length) return answers;
    const result = await steps[index]!(index, steps.length);
    index = result === back ? Math.max(0, index - 1) : index + 1;
  }
}

async function askService(access: Access, answers: RequestAnswers, f: Frame): Promise<StepResult<void>> {
  const items = access.services.map((service) => {
    const spec = getService(service);
    const levels = access.grants.filter((g) => g.service === service).map((g) => g.level);
    return { label: `$(${spec.icon}) ${spec.displayName}`, description: levels.join(', '), service };
  });
  const picked = await pickStep({
    ...f,
    placeholder: 'Which service do you need access to?',
    items,
    active: items.find((i) => i.service === answers.service),
  });
  if (picked === back) return back;
  if (picked.service !== answers.service) answers.level = undefined;
  answers.service = picked.service;
  return undefined;
}

/** " · MFA" for a TOTP code to enter; " · MFA: Identity Center sign-in" where the sign-in met it. */
function mfaNote(grant: EffectiveGrant, callerArn: string): string {
  const kind = getIdentityKind(callerArn);
  const method = getMfaMethod(grant, kind);
  if (method === 'none') return '';
  return method === 'totp' ? ' · MFA' : ` · MFA: ${describeMfaMethod(method, kind)}`;
}

async function askLevel(
  access: Access,
  callerArn: string,
  answers: RequestAnswers,
  f: Frame,
): Promise<StepResult<void>> {
  const grants = access.grants.filter((g) => g.service === answers.service);
  const items = grants.map((g) => ({
    label: g.level,
    description: `up to ${formatDuration(g.maxMinutes * 60)}${mfaNote(g, callerArn)}${g.reason ? ' · reason' : ''}${g.ticket ? ' · ticket' : ''}`,
    detail: g.inherited ? `granted to ${g.fromRole}` : undefined,
    level: g.level,
  }));
  const picked = await pickStep({
    ...f,
    placeholder: `Which access level for ${getService(answers.service!).displayName}?`,
    items,
    active: items.find((i) => i.level === answers.level),
  });
  if (picked === back) return back;
  answers.level = picked.level;
  return undefined;
}

export function getDurationItems(
  access: Access,
  grant: EffectiveGrant,
  callerArn: string,
): { cap: ReturnType<typeof getDurationCap>; choices: DurationChoice[] } {
  const cap = getDurationCap({
    grant,
    roleMaxSessionSeconds: getAssumedRoleMaxSessionSeconds(access.grants.filter((g) => g.fromRole === grant.fromRole)),
    baseIsRoleSession: isRoleSession(callerArn),
  });
  return { cap, choices: getDurationChoices(cap, grant) };
}

async function askDuration(
  access: Access,
  callerArn: string,
  answers: RequestAnswers,
  f: Frame,
): Promise<StepResult<void>> {
  const grant = getGrant(access, answers)!;
  const { cap, choices } = getDurationItems(access, grant, callerArn);
  const items = choices.map((c) => ({
    label: c.label,
    description: c.isDefault ? 'default' : undefined,
    seconds: c.seconds,
  }));
  const active =
    items.find((i) => i.seconds === answers.durationSeconds) ?? items.find((i) => i.description === 'default');
  const picked = await pickStep({
    ...f,
    placeholder: `For how long? At most ${formatDuration(cap.maxSeconds)}: ${cap.reason}`,
    items,
    active,
  });
  if (picked === back) return back;
  answers.durationSeconds = picked.seconds;
  return undefined;
}

async function askText(answers: RequestAnswers, field: 'reason' | 'ticket', f: Frame): Promise<StepResult<void>> {
  const isReason = field === 'reason';
  const value = await inputStep({
    ...f,
    placeholder: isReason ? 'e.g. orders-db CPU at 95%, checking slow queries' : 'e.g. OPS-1234',
    prompt: isReason ? 'Why do you need access? (recorded in the audit trail)' : 'The ticket this work is for',
    value: answers[field],
    validate: isReason ? checkReason : checkTicket,
  });
  if (value === back) return back;
  answers[field] = value.trim();
  return undefined;
}

async function askMfa(answers: RequestAnswers, f: Frame, message?: string): Promise<StepResult<void>> {
  const value = await inputStep({
    ...f,
    placeholder: '6-digit code',
    prompt: 'The current code from your MFA device',
    password: true,
    message,
    validate: (v) => checkTokenCode(normalizeTokenCode(v)),
  });
  if (value === back) return back;
  answers.tokenCode = normalizeTokenCode(value);
  return undefined;
}
