// Where the access policy is read from, and whether that needs workspace trust. The policy
// decides what its reader may do in AWS, so a file the workspace supplies must not be in force
// until the user trusts the workspace. That is the workspace's own .infrawatch/policy.json, and
// equally a relative infrawatch.policyPath: it resolves inside the open folder (or the working
// directory when none is open), so a cloned repository could ship the file it names.
// (package.json lists infrawatch.policyPath under restrictedConfigurations, so an untrusted
// workspace cannot set the setting itself; this covers the user's own relative value.)
import * as path from 'node:path';

export const workspacePolicyPath = path.join('.infrawatch', 'policy.json');

export interface PolicyLocation {
  /** Absolute when `base` is 'absolute'; otherwise relative to the first folder or the working directory. */
  path: string;
  base: 'absolute' | 'folder' | 'workingDirectory';
  /** Read only in a trusted workspace. */
  needsTrust: boolean;
  /** 'workspace' for the workspace's own policy file, 'file' for infrawatch.policyPath. */
  origin: 'workspace' | 'file';
}

/** The setting (trimmed; "" when unset) → where to read; undefined: no setting and no folder. */
export function locatePolicyFile(
  policyPath: string,
  hasFolder: boolean,
  home: string | undefined,
): PolicyLocation | undefined {
  if (!policyPath)
    return hasFolder ? { path: workspacePolicyPath, base: 'folder', needsTrust: true, origin: 'workspace' } : undefined;
  const expanded = home ? policyPath.replace(/^~(?=$|[/\\])/, home) : policyPath;
  if (path.isAbsolute(expanded)) return { path: expanded, base: 'absolute', needsTrust: false, origin: 'file' };
  return { path: expanded, base: hasFolder ? 'folder' : 'workingDirectory', needsTrust: true, origin: 'file' };
}

/** Why the policy file is ignored in this workspace, or undefined when it may be read. */
export function getUntrustedPolicyReason(location: PolicyLocation, isTrusted: boolean): string | undefined {
  if (isTrusted || !location.needsTrust) return undefined;
  if (location.origin === 'workspace') {
    return 'This workspace is not trusted, so its access policy file is ignored until you trust it.';
  }
  return (
    `This workspace is not trusted, so the access policy "${location.path}" (a relative infrawatch.policyPath, ` +
    'which resolves inside the workspace) is ignored until you trust it. Trust the workspace, or make infrawatch.policyPath absolute.'
  );
}
