// The slice of IAM policy and CloudFormation JSON the IAM kit writes. Kept to what we emit, so
// a test can read a generated template back with these types.

export type IamConditionBlock = Record<string, Record<string, string | string[]>>;

export interface IamStatement {
  Sid?: string;
  /**
   * Deny in trust policies, where it narrows what any trusted principal may ask for, and in a
   * scoped grant's permissions (NotResource: the grant's patterns; see sts/sessionPolicy.ts).
   */
  Effect: 'Allow' | 'Deny';
  Principal?: { AWS: string | string[] };
  Action: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: IamConditionBlock;
}

export interface IamPolicyDocument {
  Version: '2012-10-17';
  Statement: IamStatement[];
}

export interface CfnRoleResource {
  Type: 'AWS::IAM::Role';
  Properties: {
    RoleName: string;
    Path: string;
    Description: string;
    MaxSessionDuration: number;
    AssumeRolePolicyDocument: IamPolicyDocument;
    Policies?: Array<{ PolicyName: string; PolicyDocument: IamPolicyDocument }>;
    Tags: Array<{ Key: string; Value: string }>;
  };
}

/** The audit group's writer policy (iam/auditWriter.ts), attached by admins to InfraWatch users. */
export interface CfnManagedPolicyResource {
  Type: 'AWS::IAM::ManagedPolicy';
  Properties: {
    ManagedPolicyName: string;
    Description: string;
    PolicyDocument: IamPolicyDocument;
  };
}

export interface CfnOutput {
  Description: string;
  /** A role's ARN by GetAtt; a managed policy's ARN is its Ref. */
  Value: { 'Fn::GetAtt': [string, 'Arn'] } | { Ref: string };
}

export interface CfnTemplate {
  AWSTemplateFormatVersion: '2010-09-09';
  Description: string;
  Resources: Record<string, CfnRoleResource | CfnManagedPolicyResource>;
  Outputs: Record<string, CfnOutput>;
}
