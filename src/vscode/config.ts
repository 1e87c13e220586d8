import * as vscode from 'vscode';
import * as z from 'zod';

// Mirrors contributes.configuration in package.json; a unit test keeps the two in step.
export const settingsSchema = z.object({
  profile: z.string().trim().default(''),
  region: z.string().trim().default(''),
  endpointUrl: z.string().trim().default(''),
  policyPath: z.string().trim().default(''),
  policySource: z.string().trim().default(''),
  mfaSerial: z.string().trim().default(''),
  credentialDelivery: z.enum(['endpoint', 'environment']).default('endpoint'),
  endpointToken: z.enum(['variable', 'file']).default('variable'),
  injectIntoAllDebugSessions: z.boolean().default(false),
  awsProfiles: z.enum(['off', 'onRequest', 'everyGrant']).default('onRequest'),
  renewWarningMinutes: z.number().int().min(0).max(720).default(10),
});
export type Settings = z.infer<typeof settingsSchema>;

export const settingKeys = Object.keys(settingsSchema.shape) as (keyof Settings)[];

export function getSettings(): Settings {
  const config = vscode.workspace.getConfiguration('infrawatch');
  // Per key, so one malformed value falls back to its default without losing the others.
  const entries = settingKeys.map((key) => {
    const schema = settingsSchema.shape[key];
    const parsed = schema.safeParse(config.get(key));
    return [key, parsed.success ? parsed.data : schema.parse(undefined)];
  });
  return Object.fromEntries(entries) as Settings;
}

export function onDidChangeSettings(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('infrawatch')) listener();
  });
}
