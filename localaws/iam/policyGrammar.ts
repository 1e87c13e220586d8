// Parses and checks an inline session policy the way STS does before it packs it:
// malformed JSON or grammar → MalformedPolicyDocument. Only what a session policy may
// contain is accepted (no Principal), and only condition operators conditions.ts knows.

import { parseOperator } from './conditions';
import { AwsError, type PolicyDocument } from '../server/types';

const topKeys = new Set(['Version', 'Id', 'Statement']);
const statementKeys = new Set([
  'Sid',
  'Effect',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
  'Principal',
  'NotPrincipal',
]);
const actionPattern = /^(\*|[a-z0-9-]+:[A-Za-z0-9*?]+)$/i;

function malformed(message: string): AwsError {
  return new AwsError('MalformedPolicyDocument', message);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) return value as string[];
  return undefined;
}

function checkCondition(condition: unknown): void {
  if (!isRecord(condition)) throw malformed('Syntax errors in policy.');
  for (const [operator, keys] of Object.entries(condition)) {
    if (!parseOperator(operator)) throw malformed(`Invalid Condition type : ${operator}.`);
    if (!isRecord(keys)) throw malformed('Syntax errors in policy.');
    for (const value of Object.values(keys)) {
      const scalar = (v: unknown) => ['string', 'boolean', 'number'].includes(typeof v);
      if (!(scalar(value) || (Array.isArray(value) && value.every(scalar))))
        throw malformed('Syntax errors in policy.');
    }
  }
}

function checkStatement(statement: unknown): void {
  if (!isRecord(statement) || Object.keys(statement).some((k) => !statementKeys.has(k)))
    throw malformed('Syntax errors in policy.');
  if ('Principal' in statement || 'NotPrincipal' in statement)
    throw malformed('Policy document should not specify a principal.');
  if (statement.Effect !== 'Allow' && statement.Effect !== 'Deny') throw malformed('Syntax errors in policy.');
  if ('Action' in statement === 'NotAction' in statement) throw malformed('Syntax errors in policy.');
  const actions = stringList(statement.Action ?? statement.NotAction);
  if (!actions) throw malformed('Syntax errors in policy.');
  const badAction = actions.find((a) => !actionPattern.test(a));
  if (badAction !== undefined)
    throw malformed('Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.');
  if ('Resource' in statement === 'NotResource' in statement)
    throw malformed('Policy statement must contain resources.');
  const resources = stringList(statement.Resource ?? statement.NotResource);
  if (!resources) throw malformed('Syntax errors in policy.');
  const badResource = resources.find((r) => r !== '*' && !r.startsWith('arn:'));
  if (badResource !== undefined) throw malformed(`Resource ${badResource} must be in ARN format or "*".`);
  if ('Condition' in statement) checkCondition(statement.Condition);
}

/** The parsed session policy, or AwsError('MalformedPolicyDocument'). */
export function parseSessionPolicy(text: string): PolicyDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw malformed('This policy contains invalid Json');
  }
  if (!isRecord(doc) || Object.keys(doc).some((k) => !topKeys.has(k))) throw malformed('Syntax errors in policy.');
  if (doc.Version !== undefined && doc.Version !== '2012-10-17' && doc.Version !== '2008-10-17') {
    throw malformed('The policy must contain a valid version string');
  }
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  if (doc.Statement === undefined || statements.length === 0) throw malformed('Syntax errors in policy.');
  statements.forEach(checkStatement);
  return doc as unknown as PolicyDocument;
}
