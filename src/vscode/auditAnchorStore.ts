// The audit trail's anchored head (core/audit/anchor.ts) in SecretStorage: shared by the
// windows of the user, and out of reach of someone who can only edit files in global storage.
import type * as vscode from 'vscode';
import { formatAnchor, parseAnchor, type AnchorStore } from '../core/audit/anchor';

export const auditAnchorKey = 'infrawatch.audit.anchor';

export function createSecretAnchorStore(secrets: vscode.SecretStorage): AnchorStore {
  return {
    read: async () => parseAnchor(await secrets.get(auditAnchorKey)),
    write: async (anchor) => secrets.store(auditAnchorKey, formatAnchor(anchor)),
  };
}
