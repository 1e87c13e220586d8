// The static tier's check for references to documents outside the repository. The cited
// names are assembled at run time so that this file does not trip the check itself.
import * as assert from 'node:assert/strict';
import { findOutsideDocRefs } from '../../scripts/lib/outsideDocs';

const design = ['DES', 'IGN'].join('');
const style = ['STY', 'LE'].join('');
const harness = ['E2E', 'HARNESS'].join('-');

describe('references to documents outside the repository', () => {
  it('finds each way the outside documents were cited, with its line', () => {
    const text = [
      `// The access policy (${design} §2) as a zod schema`,
      `// Budgets from ${design}§11.`,
      `See ${style}.md for the house style, and the ${style} §3 rule.`,
      `// The recipe is described in shared/${harness}.md.`,
      `and ${harness} too`,
    ].join('\n');
    const hits = findOutsideDocRefs('src/a.ts', text);
    assert.deepEqual(
      hits.map((hit) => hit.line),
      [1, 2, 3, 4, 5],
    );
    assert.equal(hits[0]?.text, `// The access policy (${design} §2) as a zod schema`);
  });

  it('leaves other capitals, section signs and our own docs alone', () => {
    const text = [
      'RFC 8628 §3.2: the interval',
      `const ${design}_TOKENS = 1;`,
      'docs/architecture.md and README.md',
      `a ${style}SHEET`,
    ].join('\n');
    assert.deepEqual(findOutsideDocRefs('src/b.ts', text), []);
  });

  it('skips lockfiles, generated tables and binary files', () => {
    const cite = `${design}.md`;
    assert.deepEqual(findOutsideDocRefs('package-lock.json', cite), []);
    assert.deepEqual(findOutsideDocRefs('tools/node20/package-lock.json', cite), []);
    assert.deepEqual(findOutsideDocRefs('src/core/iamActions.generated.ts', cite), []);
    assert.deepEqual(findOutsideDocRefs('docs/x.png', `\0${cite}`), []);
  });
});
