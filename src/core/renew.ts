// Renew as one step: the last request's answers stand, and a command started late in a
// session gets one warning. Pure decisions, so the editor side only shows what they say.

/** The answers of a request that a renew (or "Request Again") reuses. */
export interface LastAnswers {
  durationSeconds: number;
  reason?: string;
  ticket?: string;
}

/** What the grant asks for now (the policy may have changed since the last request). */
export interface GrantAsks {
  reason: boolean;
  ticket: boolean;
}

/**
 * The answers a renew sends: the last duration capped to what is allowed now (the policy
 * or the role may have shortened it), and the reason and ticket when the grant still asks
 * for them. A reason or ticket the grant now asks for but the last request had not is
 * left out, so the flow asks for it; the MFA step is the flow's to add.
 */
export function reuseAnswers(last: LastAnswers, grant: GrantAsks, maxSeconds: number): LastAnswers {
  return {
    durationSeconds: Math.min(last.durationSeconds, maxSeconds),
    ...(grant.reason && last.reason ? { reason: last.reason } : {}),
    ...(grant.ticket && last.ticket ? { ticket: last.ticket } : {}),
  };
}

/**
 * Whether a command starting now should be met with "renew before a long command?": the
 * session is live, has less than the threshold left, and was not warned about yet (a
 * renewed session is a new session, so it can be warned about once more). A threshold of
 * 0 turns the warning off.
 */
export function shouldWarnBeforeCommand(input: {
  remainingMs: number;
  thresholdMinutes: number;
  alreadyWarned: boolean;
}): boolean {
  if (input.alreadyWarned || input.thresholdMinutes <= 0) return false;
  return input.remainingMs > 0 && input.remainingMs < input.thresholdMinutes * 60_000;
}

/** The sessions already warned about, so each is warned about at most once. */
export class CommandWarnings {
  private readonly warned = new Set<string>();

  /** True (and remembered) when the command should be met with a warning. */
  claim(sessionId: string, remainingMs: number, thresholdMinutes: number): boolean {
    const warn = shouldWarnBeforeCommand({ remainingMs, thresholdMinutes, alreadyWarned: this.warned.has(sessionId) });
    if (warn) this.warned.add(sessionId);
    return warn;
  }

  /** Forgets sessions that ended, so the set does not grow for a long-lived window. */
  retain(liveIds: Iterable<string>): void {
    const live = new Set(liveIds);
    for (const id of this.warned) if (!live.has(id)) this.warned.delete(id);
  }
}

/** "7:12": minutes and seconds left, as the status bar shows them. */
export function formatMinutesLeft(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}
