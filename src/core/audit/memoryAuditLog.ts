// An in-memory AuditPort with the same vocabulary, guard and chain as the file sink:
// for tests, the bench, and as a fallback while the file cannot be opened.
import { InfraWatchError } from '../errors';
import { systemClock, type Clock } from '../ports';
import { createAuditRecord, emptyChainHead, type ChainHead } from './chain';
import { auditEventInputSchema, type AuditEventInput, type AuditPort, type AuditRecord } from './events';
import { SecretGuard } from './secretGuard';

export class MemoryAuditLog implements AuditPort {
  readonly records: AuditRecord[] = [];
  private head: ChainHead = emptyChainHead;

  constructor(
    private readonly clock: Clock = systemClock,
    private readonly guard: SecretGuard = new SecretGuard(),
  ) {}

  async append(input: AuditEventInput): Promise<AuditRecord> {
    this.guard.assertClean(input);
    const parsed = auditEventInputSchema.safeParse(input);
    if (!parsed.success)
      throw new InfraWatchError(
        'Validation',
        `Writing the audit record failed: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
      );
    const record = createAuditRecord(this.head, parsed.data, new Date(this.clock.now()).toISOString());
    this.records.push(record);
    this.head = { seq: record.seq, hash: record.hash };
    return record;
  }
}
