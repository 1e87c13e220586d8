// The names of audit events, past tense. Shared so the admin panel's event filter offers
// exactly the events the trail records (src/core/audit/events.ts holds the rest of the
// vocabulary: the fields a record may carry).
export const auditEventNames = [
  'access.requested',
  'access.denied',
  'access.granted',
  'access.failed',
  'credentials.fetched',
  /** Refused requests at the credential endpoint: counts per reason for one minute. */
  'credentials.refused',
  'session.revoked',
  'session.expired',
  'session.renewed',
  'terminal.opened',
  'debug.injected',
  'policy.loaded',
  'policy.rejected',
  /** The trail was found shorter than (or different from) its anchored head: see anchor.ts. */
  'audit.gap',
] as const;
