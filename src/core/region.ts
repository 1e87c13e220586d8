/** The region for AWS calls: the setting, then the policy's account, then the profile, then us-east-1. */
export function pickRegion(candidates: {
  setting?: string;
  policy?: string;
  profile?: string;
  environment?: string;
}): string {
  return candidates.setting || candidates.policy || candidates.profile || candidates.environment || 'us-east-1';
}
