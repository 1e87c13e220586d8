// Prints the in-host suite's JSON results the way mocha's spec reporter would, since the
// reporter's own output only reaches the browser page.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { InHostResults, InHostTestResult } from '../../test/vscode/index';
import type { TierCounts } from './tierRunner';

const useColor = process.stdout.isTTY === true && !process.env.NO_COLOR;
const paint = (code: number, text: string) => (useColor ? `\u001b[${code}m${text}\u001b[0m` : text);

export function readInHostResults(file: string): InHostResults | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as InHostResults;
}

function suiteOf(test: InHostTestResult): string {
  return test.fullTitle.endsWith(test.title) ? test.fullTitle.slice(0, -test.title.length).trim() : '';
}

function printFailureDetails(failures: InHostTestResult[]): void {
  failures.forEach((test, i) => {
    console.log(`\n  ${i + 1}) ${test.fullTitle}:`);
    console.log(paint(31, `     ${test.error?.message.split('\n').join('\n     ') ?? '(no message)'}`));
    const frames = (test.error?.stack ?? '')
      .split('\n')
      .filter((l) => l.trim().startsWith('at '))
      .slice(0, 6);
    for (const frame of frames) console.log(paint(90, `     ${frame.trim()}`));
  });
}

/** Spec-style listing, failure details and the tier's own summary line. */
export function printInHostResults(results: InHostResults): void {
  let suite: string | undefined;
  const failures: InHostTestResult[] = [];
  for (const test of results.tests) {
    const current = suiteOf(test);
    if (current !== suite) {
      suite = current;
      if (suite) console.log(`\n  ${suite}`);
    }
    if (test.state === 'passed') {
      console.log(
        `    ${paint(32, '✔')} ${paint(90, test.title)}${paint(33, test.durationMs >= 75 ? ` (${test.durationMs}ms)` : '')}`,
      );
    } else if (test.state === 'pending') {
      console.log(paint(36, `    - ${test.title}`));
    } else {
      failures.push(test);
      console.log(paint(31, `    ${failures.length}) ${test.title}`));
    }
  }
  printFailureDetails(failures);
  console.log(`\n  ${paint(32, `${results.passed} passing`)} (${Math.round(results.durationMs / 1000)}s)`);
  if (results.pending) console.log(`  ${paint(36, `${results.pending} pending`)}`);
  if (results.failed) console.log(`  ${paint(31, `${results.failed} failing`)}`);
}

/** Writes the counts for scripts/test.ts when it asked for them. */
export function writeTierCounts(counts: TierCounts): void {
  const file = process.env.INFRAWATCH_TIER_COUNTS;
  if (file) writeFileSync(file, JSON.stringify(counts));
}
