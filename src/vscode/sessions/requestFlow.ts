import * as vscode from 'vscode';
import { type Access } from '../../core/accessState';
import { type AwsClients } from '../../core/awsClients';
import { type AccessLevel, type ServiceId, getService } from '../../core/catalog';
import { InfraWatchError } from '../../core/errors';
import { type LastAnswers, formatMinutesLeft, reuseAnswers } from '../../core/renew';
import { type Session } from '../../core/session';
import { type SessionRuntime } from '../../core/sessionRuntime';
import { requestAuditedSession } from '../../core/sts/auditedRequest';
import { findMfaSerial, sendsTotp } from '../../core/sts/broker';
import { formatDuration, getAssumedRoleMaxSessionSeconds } from '../../core/sts/duration';
import { StsError, isStsError } from '../../core/sts/stsError';
import { commandIds } from '../commandIds';
import { executeCommand } from '../commandRegistry';
import { getSettings } from '../config';
import { type Fixed, type RequestAnswers, askRequest, getDurationItems } from '../requestAccess';

/** How far Expiration may stray from now + duration: AWS's own SigV4 clock tolerance. */
const clockToleranceMs = 15 * 60_000;

/**
 * The SDK corrects its clock skew and retries, so a wrong local clock shows only here: an
 * Expiration that does not match now + the duration. Expiry is timed by the local clock, so
 * such a session would end at the wrong moment (or at once): refuse it and say why.
 */
function checkClock(session: Session, now: number): void {
  const skew = session.credentials.expiration - (now + session.durationSeconds * 1000);
  if (Math.abs(skew) <= clockToleranceMs) return;
  const how = `${formatDuration(Math.abs(skew) / 1000)} ${skew > 0 ? 'behind' : 'ahead of'}`;
  throw new StsError(
    'SignatureMismatch',
    `Requesting access failed: this computer's clock is about ${how} AWS's, so the session would end at the wrong time here. Set the clock to the correct time (enable automatic time sync) and try again`,
    'fixClock',
  );
}

/**
 * Asking again for an active session offers Renew (the same answers, only the MFA code),
 * Renew with other answers, or the session itself.
 */
async function confirmRenew(runtime: SessionRuntime, existing: Session): Promise<'renew' | 'change' | undefined> {
  const label = `${getService(existing.service).displayName} ${existing.level}`;
  const left = formatMinutesLeft(existing.credentials.expiration - runtime.clock.now());
  const picked = await vscode.window.showQuickPick(
    [
      {
        label: '$(refresh) Renew',
        description: 'the same answers, a new expiry (asks only for the MFA code)',
        action: 'renew' as const,
      },
      {
        label: '$(edit) Renew with Other Answers',
        description: 'another duration or reason',
        action: 'change' as const,
      },
      { label: '$(terminal) Open Terminal', description: 'with the current session', action: 'terminal' as const },
    ],
    {
      title: 'InfraWatch: Request Access',
      placeHolder: `${label} is already active (${left} left)`,
      ignoreFocusOut: true,
    },
  );
  if (picked?.action === 'terminal') await executeCommand(commandIds.openTerminal, existing.id);
  return picked?.action === 'terminal' ? undefined : picked?.action;
}

/** The role must allow the service; otherwise this is a denial by policy, and audited as one. */
async function checkAllowed(
  runtime: SessionRuntime,
  access: Access,
  callerArn: string,
  preset: { service?: ServiceId; level?: AccessLevel },
): Promise<void> {
  if (!preset.service) return;
  const allowed = access.grants.some(
    (g) => g.service === preset.service && (!preset.level || g.level === preset.level),
  );
  if (allowed) return;
  const what = `${getService(preset.service).displayName}${preset.level ? ` ${preset.level}` : ''}`;
  await runtime.audit.record({
    event: 'access.denied',
    actor: callerArn,
    role: access.role,
    account: access.account.id,
    service: preset.service,
    ...(preset.level ? { level: preset.level } : {}),
    outcome: 'denied',
    detail: { why: 'no grant in the access policy' },
  });
  throw new InfraWatchError(
    'AccessDenied',
    `Requesting access failed: your role ${access.role} has no grant for ${what}`,
  );
}

/**
 * The clients to ask STS with and their region, from one snapshot; the view may have reloaded
 * while the questions were open, and another identity's clients must not serve this caller.
 */
function getBaseClients(runtime: SessionRuntime, callerArn: string): { sts: AwsClients['sts']; region: string } {
  const { identity, region } = runtime.access.snapshot;
  const clients = runtime.access.getClients();
  if (!clients)
    throw new InfraWatchError(
      'NoCredentials',
      'Requesting access failed: your AWS identity is not loaded; refresh the InfraWatch view',
    );
  if (identity?.arn !== callerArn)
    throw new InfraWatchError(
      'NoCredentials',
      `Requesting access failed: your AWS identity changed to ${identity?.arn ?? 'none'} while you answered; request access again`,
    );
  return { sts: clients.sts, region };
}

export interface RequestOptions {
  /** Renew the active session of the preset's service and level with its answers (only the MFA code is asked). */
  renew?: boolean;
  /** The answers to reuse, e.g. those of a session that just expired ("Request Again"). */
  reuse?: LastAnswers;
}

/**
 * The whole Request Access conversation: the questions, the pre-flight checks, AssumeRole,
 * and the MFA step again (keeping every other answer) when AWS rejects the code.
 */
export async function runRequest(
  runtime: SessionRuntime,
  preset: { service?: ServiceId; level?: AccessLevel },
  options: RequestOptions = {},
): Promise<Session | undefined> {
  const { state } = await runtime.access.whenSettled();
  if (state.kind !== 'ready')
    throw new InfraWatchError(
      'NoRole',
      'Requesting access failed: InfraWatch has not found a role for you (open the InfraWatch view to see why)',
    );
  const { access, identity } = state;
  if (!access.roleArn)
    throw new InfraWatchError(
      'PolicyInvalid',
      `Requesting access failed: the policy names no IAM role for ${access.role} in account ${identity.account}`,
    );
  await checkAllowed(runtime, access, identity.arn, preset);
  const answers: RequestAnswers = { ...preset };
  const levels = preset.service ? access.grants.filter((g) => g.service === preset.service) : [];
  if (preset.service && !preset.level && levels.length === 1) answers.level = levels[0]!.level;
  const fixed: Fixed = { service: Boolean(preset.service), level: Boolean(answers.level) };
  if (answers.service && answers.level) {
    const existing = runtime.find(answers.service, answers.level);
    let last: LastAnswers | undefined = options.reuse ?? (options.renew ? existing : undefined);
    if (existing && !last) {
      const choice = await confirmRenew(runtime, existing);
      if (!choice) return undefined;
      // Renew with other answers starts from the current ones.
      if (choice === 'change')
        Object.assign(answers, {
          durationSeconds: existing.durationSeconds,
          reason: existing.reason,
          ticket: existing.ticket,
        });
      else last = existing;
    }
    const grant = access.grants.find((g) => g.service === answers.service && g.level === answers.level);
    if (last && grant) {
      Object.assign(answers, reuseAnswers(last, grant, getDurationItems(access, grant, identity.arn).cap.maxSeconds));
      fixed.reused = true;
    }
  }
  let mfaMessage: string | undefined;
  for (;;) {
    await askRequest(access, identity.arn, answers, fixed, mfaMessage);
    const grant = access.grants.find((g) => g.service === answers.service && g.level === answers.level)!;
    const { sts, region } = getBaseClients(runtime, identity.arn);
    // Each attempt (an MFA retry too) is its own request: its own id, its own access.requested.
    const deps = { sts, clock: runtime.clock, log: runtime.log, audit: runtime.audit };
    try {
      return await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Window,
          title: `Requesting ${getService(grant.service).displayName} ${grant.level} access…`,
        },
        () =>
          requestAuditedSession(
            deps,
            {
              caller: identity,
              role: access.role,
              roleArn: access.roleArn!,
              grant,
              account: identity.account,
              region,
              durationSeconds: answers.durationSeconds!,
              reason: answers.reason,
              ticket: answers.ticket,
              tokenCode: answers.tokenCode,
              mfaSerial: getSettings().mfaSerial || findMfaSerial(identity),
              roleMaxSessionSeconds: getAssumedRoleMaxSessionSeconds(
                access.grants.filter((g) => g.fromRole === grant.fromRole),
              ),
            },
            (session) => checkClock(session, runtime.clock.now()),
          ),
      );
    } catch (error) {
      if (isStsError(error) && error.nextAction === 'reenterMfa' && sendsTotp({ caller: identity, grant })) {
        mfaMessage = error.message;
        answers.tokenCode = undefined;
        continue;
      }
      throw error;
    }
  }
}
