// Reading operation input the same way whichever protocol carried it: awsQuery forms
// (`A.member.1.B=x`) are unflattened into the JSON shape first, then typed readers accept
// both the JSON form (numbers, epoch seconds) and the query form (strings, ISO 8601).

import { AwsError } from '../server/types';

export type Loose = Record<string, unknown>;

/** `MetricData.member.2.Dimensions.member.1.Name=x` → { MetricData: [, { Dimensions: [{ Name: 'x' }] }] }. */
export function unflattenQuery(params: URLSearchParams): Loose {
  const root: Loose = {};
  for (const [key, value] of params) {
    if (key === 'Action' || key === 'Version') continue;
    const parts = key.split('.');
    let node: Loose = root;
    for (let i = 0; i < parts.length; i += 1) {
      const part = parts[i]!;
      const last = i === parts.length - 1;
      if (part === 'member') continue;
      const isIndex = parts[i - 1] === 'member';
      const slot = isIndex ? String(Number(part) - 1) : part;
      if (last) node[slot] = value;
      else node = (node[slot] ??= {}) as Loose;
    }
  }
  return toArrays(root) as Loose;
}

/** Turns objects keyed 0..n-1 (from `.member.N`) into arrays; an empty `Key=` is an empty list. */
function toArrays(node: unknown): unknown {
  if (typeof node !== 'object' || node === null) return node;
  const entries = Object.entries(node as Loose);
  const isList = entries.length > 0 && entries.every(([k]) => /^\d+$/.test(k));
  if (isList) {
    const list: unknown[] = [];
    for (const [k, v] of entries) list[Number(k)] = toArrays(v);
    return list.filter((v) => v !== undefined);
  }
  const out: Loose = {};
  for (const [k, v] of entries) out[k] = toArrays(v);
  return out;
}

export function validation(field: string, constraint: string, value: unknown): AwsError {
  const shown = value === undefined ? 'null' : `'${typeof value === 'object' ? JSON.stringify(value) : String(value)}'`;
  return new AwsError(
    'ValidationError',
    `1 validation error detected: Value ${shown} at '${field}' failed to satisfy constraint: ${constraint}`,
  );
}

export function invalidValue(field: string, value: unknown, why?: string): AwsError {
  return new AwsError(
    'InvalidParameterValue',
    `The value ${String(value)} for parameter ${field} is invalid.${why ? ` ${why}` : ''}`,
  );
}

export function readString(raw: Loose, field: string, path = field): string | undefined {
  const v = raw[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalidValue(path, JSON.stringify(v), 'Expected a string.');
  return v;
}

export function requireString(raw: Loose, field: string, path = field): string {
  const v = readString(raw, field, path);
  if (v === undefined || v === '') throw validation(path, 'Member must not be null', undefined);
  return v;
}

export function readNumber(raw: Loose, field: string, path = field): number | undefined {
  const v = raw[field];
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  if (!Number.isFinite(n)) throw invalidValue(path, v, 'Expected a number.');
  return n;
}

export function readInteger(raw: Loose, field: string, path = field): number | undefined {
  const n = readNumber(raw, field, path);
  if (n !== undefined && !Number.isInteger(n)) throw invalidValue(path, n, 'Expected an integer.');
  return n;
}

export function readBoolean(raw: Loose, field: string): boolean | undefined {
  const v = raw[field];
  if (v === undefined || v === null || v === '') return undefined;
  return v === true || v === 'true';
}

/** Epoch ms from epoch seconds (JSON number or numeric string) or ISO 8601 (query). */
export function readTime(raw: Loose, field: string, path = field): number | undefined {
  const v = raw[field];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'number') return Math.round(v * 1000);
  if (typeof v === 'string') {
    const ms = /^\d+(\.\d+)?$/.test(v) ? Number(v) * 1000 : Date.parse(v);
    if (Number.isFinite(ms)) return Math.round(ms);
  }
  throw invalidValue(path, v, 'Expected a timestamp.');
}

export function readList(raw: Loose, field: string): unknown[] {
  const v = raw[field];
  if (v === undefined || v === null || v === '') return [];
  if (Array.isArray(v)) return v;
  throw invalidValue(field, JSON.stringify(v), 'Expected a list.');
}

export function readObject(raw: Loose, field: string): Loose | undefined {
  const v = raw[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw invalidValue(field, JSON.stringify(v), 'Expected a structure.');
  return v as Loose;
}

export function asLoose(v: unknown, path: string): Loose {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw invalidValue(path, JSON.stringify(v), 'Expected a structure.');
  return v as Loose;
}

/** Opaque paging tokens: base64url JSON, bound to the request they continue. */
export function encodeToken(state: object): string {
  return Buffer.from(JSON.stringify(state), 'utf8').toString('base64url');
}

export function decodeToken<T extends object>(
  token: string,
  isValid: (t: Partial<T>) => boolean,
  error: () => AwsError,
): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw error();
  }
  if (typeof parsed !== 'object' || parsed === null || !isValid(parsed as Partial<T>)) throw error();
  return parsed as T;
}
