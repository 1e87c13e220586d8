// The reason and ticket of a request: checked in the input box and again by the request
// flow. Stored as typed (trimmed), bounded, and readable as typed (no hidden characters).
import { checkTagValue } from './sts/rules';
import { checkVisibleText } from './visibleText';

/** Bounds that keep a record one small line; the ticket is also a session tag (256 characters at most). */
export const requestTextLimits = { reason: 256, ticket: 256 } as const;

function checkVisible(value: string, what: string): string | undefined {
  const problem = checkVisibleText(value, `The ${what}`);
  return problem ? `${problem}.` : undefined;
}

export function checkReason(value: string): string | undefined {
  if (!value.trim()) return 'Say in a few words why you need access (it goes to the audit trail).';
  if (value.length > requestTextLimits.reason)
    return `Keep the reason to ${requestTextLimits.reason} characters or fewer (it has ${value.length}).`;
  return checkVisible(value, 'reason');
}

export function checkTicket(value: string): string | undefined {
  const ticket = value.trim();
  if (!ticket) return 'Enter the ticket id.';
  if (ticket.length > requestTextLimits.ticket)
    return `Keep the ticket id to ${requestTextLimits.ticket} characters or fewer (it has ${ticket.length}).`;
  // Checked before AWS's tag rule, whose message quotes the value: a quoted U+202E would reverse it.
  return checkVisible(ticket, 'ticket id') ?? checkTagValue(ticket, 'ticket id');
}
