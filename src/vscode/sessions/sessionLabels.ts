import * as vscode from 'vscode';
import { type ServiceId } from '../../core/catalog';
import { type Clock } from '../../core/ports';
import { type SessionService } from './sessionService';

/** "read 29 min left" for the tree row of a service with active sessions. */
export function getSessionLabel(sessions: SessionService, clock: Clock, service: ServiceId): string | undefined {
  const active = sessions.list().filter((s) => s.service === service);
  if (active.length === 0) return undefined;
  return active
    .map((s) => {
      const minutes = Math.max(0, Math.ceil((s.credentials.expiration - clock.now()) / 60_000));
      return `${s.level} ${minutes} min left`;
    })
    .join(', ');
}

/** Redraws the tree when sessions change and every 30 s while any is active (the countdown). */
export function keepTreeCountdown(sessions: SessionService, redraw: () => void): vscode.Disposable {
  let timer: NodeJS.Timeout | undefined;
  const update = (): void => {
    redraw();
    clearInterval(timer);
    timer = sessions.list().length > 0 ? setInterval(redraw, 30_000) : undefined;
  };
  const subscription = sessions.store.onDidChange(update);
  return {
    dispose: () => {
      clearInterval(timer);
      subscription.dispose();
    },
  };
}
