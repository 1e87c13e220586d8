// The compatibility matrix as the README shows it: one row per client and delivery mode;
// where terminal / debug launch / clean / standing-keys editors differ, each is named.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface MatrixRow {
  client: string;
  mode: string;
  where: string;
  from: string;
  works: string;
  renews: string;
  afterRevoke: string;
  afterExpiry: string;
}

const columns = ['works', 'renews', 'afterRevoke', 'afterExpiry'] as const;

/** The value most scenarios share, then each scenario that differs. */
function merge(rows: MatrixRow[], column: (typeof columns)[number]): string {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row[column], (counts.get(row[column]) ?? 0) + 1);
  const usual = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
  const others = rows.filter((r) => r[column] !== usual).map((r) => `${r.where} from an ${r.from}: ${r[column]}`);
  return [usual, ...others].join('; ');
}

export function getMatrixMarkdown(rows: MatrixRow[]): string {
  const groups = new Map<string, MatrixRow[]>();
  for (const row of rows)
    groups.set(`${row.client}\u0000${row.mode}`, [...(groups.get(`${row.client}\u0000${row.mode}`) ?? []), row]);
  const lines = [
    '| client | delivery | works (identity, in scope, denied outside) | renews | after Revoke | after expiry |',
    '|---|---|---|---|---|---|',
  ];
  for (const group of groups.values()) {
    lines.push(`| ${group[0]!.client} | ${group[0]!.mode} | ${columns.map((c) => merge(group, c)).join(' | ')} |`);
  }
  return `${lines.join('\n')}\n`;
}

function rank(order: string[], part: string): number {
  const index = order.indexOf(part);
  return index === -1 ? order.length : index;
}

/**
 * Keeps this part's rows (test files run in parallel, one part each) and writes the whole
 * matrix from every part so far to test-results/clients-matrix.md; prints this part.
 */
export function printMatrix(part: string, rows: MatrixRow[]): void {
  if (rows.length === 0) return;
  const dir = join(__dirname, '..', '..', 'test-results', 'clients-matrix');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${part}.json`), JSON.stringify(rows));
  const order = ['aws-on-path-aws-debian', 'boto3-boto3-newest', 'sdk-v3', 'go-ruby'];
  const parts = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort((a, b) => rank(order, a) - rank(order, b));
  const all = parts.flatMap((name) => JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as MatrixRow[]);
  writeFileSync(join(dir, '..', 'clients-matrix.md'), getMatrixMarkdown(all));
  console.log(`\n${getMatrixMarkdown(rows)}`);
}
