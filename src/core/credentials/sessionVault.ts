// The sessions of this user as one SecretStorage entry: read once at restore, rewritten whole
// on every change (sessionSchema.ts says what an entry holds).
import { InfraWatchError } from '../errors';
import { type SecretStore } from '../ports';
import { type Session } from '../session';
import { getStoredSessionsText, parseStoredSessions, sessionsSecretKey } from './sessionSchema';

export class SessionVault {
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly secrets: SecretStore) {}

  /** The saved sessions, and how many records could not be read. */
  async read(): Promise<{ sessions: Session[]; rejected: number }> {
    const text = await this.secrets.get(sessionsSecretKey);
    return text === undefined ? { sessions: [], rejected: 0 } : parseStoredSessions(text);
  }

  /**
   * Writes the whole set, or removes the entry when it is empty. Writes run one at a time and
   * each asks `getSessions` when its turn comes, so the last write holds the latest state.
   */
  write(getSessions: () => Session[]): Promise<void> {
    const write = async (): Promise<void> => {
      const sessions = getSessions();
      try {
        if (sessions.length === 0) await this.secrets.delete(sessionsSecretKey);
        else await this.secrets.store(sessionsSecretKey, getStoredSessionsText(sessions));
      } catch (error) {
        throw new InfraWatchError(
          'Unknown',
          `Saving sessions to secret storage failed: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
      }
    };
    const next = this.writing.then(write);
    this.writing = next.catch(() => undefined);
    return next;
  }
}
