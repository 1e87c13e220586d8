// Typed reads of CloudWatch Logs JSON input. Logs speaks awsJson1_1 only, so fields
// arrive typed; anything else is an InvalidParameterException naming the field.

import { AwsError } from '../server/types';
import type { Loose } from '../cloudwatch/input';

export function invalidParameter(message: string): AwsError {
  return new AwsError('InvalidParameterException', message);
}

export function notFound(what: 'log group' | 'log stream'): AwsError {
  return new AwsError('ResourceNotFoundException', `The specified ${what} does not exist.`);
}

export function optString(raw: Loose, field: string): string | undefined {
  const v = raw[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalidParameter(`${field} must be a string.`);
  return v;
}

export function reqString(raw: Loose, field: string): string {
  const v = optString(raw, field);
  if (v === undefined)
    throw invalidParameter(
      `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`,
    );
  return v;
}

export function optInteger(raw: Loose, field: string, min: number, max: number): number | undefined {
  const v = raw[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw invalidParameter(`${field} must be an integer.`);
  if (v < min || v > max) {
    throw invalidParameter(
      `1 validation error detected: Value '${v}' at '${field}' failed to satisfy constraint: Member must have value ${v < min ? `greater than or equal to ${min}` : `less than or equal to ${max}`}`,
    );
  }
  return v;
}

export function optStringList(raw: Loose, field: string): string[] | undefined {
  const v = raw[field];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string'))
    throw invalidParameter(`${field} must be a list of strings.`);
  return v as string[];
}

const groupNamePattern = /^[.\-_/#A-Za-z0-9]+$/;

export function checkGroupName(name: string): string {
  if (name.length < 1 || name.length > 512 || !groupNamePattern.test(name)) {
    throw invalidParameter(
      `1 validation error detected: Value '${name}' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+`,
    );
  }
  return name;
}

export function checkStreamName(name: string): string {
  if (name.length < 1 || name.length > 512 || /[:*]/.test(name)) {
    throw invalidParameter(
      `1 validation error detected: Value '${name}' at 'logStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]*`,
    );
  }
  return name;
}

/** A group from logGroupName or logGroupIdentifier (a name or an ARN, with or without `:*`). */
export function readGroupName(raw: Loose): string {
  const name = optString(raw, 'logGroupName');
  const identifier = optString(raw, 'logGroupIdentifier');
  if ((name === undefined) === (identifier === undefined)) {
    throw invalidParameter('Exactly one of logGroupName and logGroupIdentifier must be specified.');
  }
  if (name !== undefined) return checkGroupName(name);
  const arn = /^arn:aws[a-z-]*:logs:[^:]*:\d{12}:log-group:([^:]+)(?::\*)?$/.exec(identifier!);
  return checkGroupName(arn ? arn[1]! : identifier!);
}
