// The endpoint's roles from a CloudFormation template (the IAM kit's output), so tests and the
// demo run against exactly what an admin would deploy. Reads AWS::IAM::Role (RoleName, Path,
// AssumeRolePolicyDocument, Policies, ManagedPolicyArns, MaxSessionDuration, Tags),
// AWS::IAM::ManagedPolicy (attached by ARN or through its Roles), AWS::IAM::Policy and
// AWS::IAM::RolePolicy. Resolves Ref, Fn::Sub, Fn::GetAtt and Fn::Join; anything it cannot model
// (other intrinsics, AWS managed policies, permissions boundaries) throws instead of being
// silently dropped, since a dropped policy would make the emulator more lenient than IAM.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-iam-role.html
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html

import { derivedId } from '../server/ids';
import type { RoleDefinition } from '../server/state';
import type { PolicyDocument } from '../server/types';

export interface LoadTemplateOptions {
  partition?: string;
  region?: string;
  /** For generated names and AWS::StackName (default "infrawatch-iam"). */
  stackName?: string;
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type Resource = { Type?: string; Properties?: Record<string, Json> };

function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(message: string): never {
  throw new Error(`CloudFormation template: ${message}`);
}

interface Scope {
  pseudo: Record<string, string>;
  refs: Map<string, string>;
  attrs: Map<string, string>;
}

function sub(text: string, vars: Record<string, string>, scope: Scope): string {
  return text.replace(/\$\{([^}]*)\}/g, (_, name: string) => {
    if (name.startsWith('!')) return `\${${name.slice(1)}}`;
    const value = vars[name] ?? scope.pseudo[name] ?? scope.refs.get(name) ?? scope.attrs.get(name);
    return value ?? fail(`Fn::Sub names \${${name}}, which the template does not define`);
  });
}

function resolve(value: Json, scope: Scope): Json {
  if (Array.isArray(value)) return value.map((v) => resolve(v, scope));
  if (!isObject(value)) return value;
  const keys = Object.keys(value);
  const fn = keys.length === 1 ? (keys[0] as string) : '';
  const arg = value[fn] as Json;
  if (fn === 'Ref')
    return scope.pseudo[String(arg)] ?? scope.refs.get(String(arg)) ?? fail(`Ref to unknown ${String(arg)}`);
  if (fn === 'Fn::GetAtt') {
    const [id, attr] = Array.isArray(arg) ? arg.map(String) : String(arg).split('.');
    return scope.attrs.get(`${id}.${attr}`) ?? fail(`Fn::GetAtt ${id}.${attr} is not modelled`);
  }
  if (fn === 'Fn::Sub') {
    if (typeof arg === 'string') return sub(arg, {}, scope);
    const [text, vars] = Array.isArray(arg) ? arg : [];
    const resolved = Object.fromEntries(
      Object.entries(isObject(vars) ? vars : {}).map(([k, v]) => [k, String(resolve(v, scope))]),
    );
    return sub(String(text), resolved, scope);
  }
  if (fn === 'Fn::Join') {
    const [sep, parts] = Array.isArray(arg) ? arg : [];
    return (resolve(parts ?? [], scope) as Json[]).map(String).join(String(sep));
  }
  if (fn.startsWith('Fn::') || fn === 'Condition') fail(`${fn} is not modelled by the local endpoint`);
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => !(isObject(v) && v.Ref === 'AWS::NoValue'))
      .map(([k, v]) => [k, resolve(v, scope)]),
  );
}

function policyDocument(value: Json | undefined, where: string): PolicyDocument {
  const doc = typeof value === 'string' ? (JSON.parse(value) as Json) : value;
  if (!isObject(doc) || doc.Statement === undefined) fail(`${where} is not a policy document`);
  return doc as unknown as PolicyDocument;
}

function pathOf(value: Json | undefined): string {
  return typeof value === 'string' ? value : '/';
}

/** Logical id → physical name / ARN / attributes, before any property is resolved. */
function buildScope(
  resources: Record<string, Resource>,
  accountId: string,
  options: Required<LoadTemplateOptions>,
): Scope {
  const pseudo = {
    'AWS::AccountId': accountId,
    'AWS::Partition': options.partition,
    'AWS::Region': options.region,
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::StackName': options.stackName,
    'AWS::StackId': `arn:${options.partition}:cloudformation:${options.region}:${accountId}:stack/${options.stackName}/0`,
  };
  const scope: Scope = { pseudo, refs: new Map(), attrs: new Map() };
  const literal = (v: Json | undefined, fallback: string) =>
    typeof v === 'string' ? v : v === undefined ? fallback : String(resolve(v, scope));
  for (const [id, r] of Object.entries(resources)) {
    const p = r.Properties ?? {};
    if (r.Type === 'AWS::IAM::Role') {
      const name = literal(p.RoleName, `${options.stackName}-${id}`);
      const arn = `arn:${options.partition}:iam::${accountId}:role${literal(p.Path, '/')}${name}`;
      scope.refs.set(id, name);
      scope.attrs.set(`${id}.Arn`, arn).set(`${id}.RoleId`, derivedId('AROA', `template-role:${arn}`, 21));
    } else if (r.Type === 'AWS::IAM::ManagedPolicy') {
      const arn = `arn:${options.partition}:iam::${accountId}:policy${literal(p.Path, '/')}${literal(p.ManagedPolicyName, `${options.stackName}-${id}`)}`;
      scope.refs.set(id, arn);
      scope.attrs.set(`${id}.PolicyArn`, arn);
    }
  }
  return scope;
}

/** Every AWS::IAM::Role of `template` (an object or its JSON text) as the endpoint's role records. */
export function loadRolesFromTemplate(
  template: unknown,
  accountId: string,
  options: LoadTemplateOptions = {},
): RoleDefinition[] {
  const parsed: unknown = typeof template === 'string' ? JSON.parse(template) : template;
  if (!isObject(parsed) || !isObject(parsed.Resources)) fail('no Resources');
  const resources = parsed.Resources as unknown as Record<string, Resource>;
  const opts = {
    partition: options.partition ?? 'aws',
    region: options.region ?? 'us-east-1',
    stackName: options.stackName ?? 'infrawatch-iam',
  };
  const scope = buildScope(resources, accountId, opts);
  const props = (r: Resource) => resolve(r.Properties ?? {}, scope) as Record<string, Json>;
  const managed = new Map<string, PolicyDocument>();
  const attached = new Map<string, PolicyDocument[]>();
  const attach = (roleNames: Json | undefined, doc: PolicyDocument) => {
    for (const name of Array.isArray(roleNames) ? roleNames : roleNames === undefined ? [] : [roleNames])
      attached.set(String(name), [...(attached.get(String(name)) ?? []), doc]);
  };
  for (const [id, r] of Object.entries(resources)) {
    const p = r.Type?.startsWith('AWS::IAM::') ? props(r) : {};
    if (r.Type === 'AWS::IAM::ManagedPolicy') {
      const doc = policyDocument(p.PolicyDocument, `${id}.PolicyDocument`);
      managed.set(scope.refs.get(id) as string, doc);
      attach(p.Roles, doc);
    } else if (r.Type === 'AWS::IAM::Policy') attach(p.Roles, policyDocument(p.PolicyDocument, `${id}.PolicyDocument`));
    else if (r.Type === 'AWS::IAM::RolePolicy')
      attach(p.RoleName, policyDocument(p.PolicyDocument, `${id}.PolicyDocument`));
  }
  return Object.entries(resources)
    .filter(([, r]) => r.Type === 'AWS::IAM::Role')
    .map(([id, r]): RoleDefinition => {
      const p = props(r);
      if (p.PermissionsBoundary !== undefined) fail(`${id}: PermissionsBoundary is not modelled by the local endpoint`);
      const name = scope.refs.get(id) as string;
      const inline = (Array.isArray(p.Policies) ? p.Policies : []).map((x, i) =>
        policyDocument(isObject(x) ? x.PolicyDocument : undefined, `${id}.Policies[${i}]`),
      );
      const byArn = (Array.isArray(p.ManagedPolicyArns) ? p.ManagedPolicyArns : [])
        .map(String)
        .map((arn) => managed.get(arn) ?? fail(`${id}: managed policy ${arn} is not defined in the template`));
      const tags = Array.isArray(p.Tags)
        ? Object.fromEntries(p.Tags.filter(isObject).map((t) => [String(t.Key), String(t.Value)]))
        : {};
      return {
        arn: scope.attrs.get(`${id}.Arn`) as string,
        name,
        roleId: scope.attrs.get(`${id}.RoleId`) as string,
        path: pathOf(p.Path),
        maxSessionDuration:
          typeof p.MaxSessionDuration === 'number' ? p.MaxSessionDuration : Number(p.MaxSessionDuration ?? 3600),
        trustPolicy: policyDocument(p.AssumeRolePolicyDocument, `${id}.AssumeRolePolicyDocument`),
        permissions: [...inline, ...byArn, ...(attached.get(name) ?? [])],
        tags,
      };
    });
}
