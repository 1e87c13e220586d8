import * as assert from 'node:assert/strict';
import { createAccessSnapshot, loadingSnapshot } from '../../src/core/accessSnapshot';
import { getAccessState } from '../../src/core/accessState';
import { InfraWatchError } from '../../src/core/errors';
import { parsePolicy } from '../../src/core/policy/parse';

const policyText = JSON.stringify({
  version: 1,
  accounts: [{ id: '111122223333', name: 'demo', region: 'eu-west-1' }],
  roles: {
    Employee: {
      roleArns: { '111122223333': 'arn:aws:iam::111122223333:role/InfraWatch-Employee' },
      grants: [{ service: 'rds', levels: ['read'] }],
    },
  },
  assignments: [{ userName: 'erin.employee', role: 'Employee' }],
});

function getReadyLoad() {
  const result = parsePolicy(policyText);
  assert.ok(result.ok, JSON.stringify(result));
  const source = { kind: 'file' as const, path: '/w/.infrawatch/policy.json', result };
  const identity = { arn: 'arn:aws:iam::111122223333:user/erin.employee', account: '111122223333', userId: 'AIDA' };
  const state = getAccessState(source, { kind: 'ok', identity });
  assert.equal(state.kind, 'ready', JSON.stringify(state));
  return {
    state,
    region: 'eu-west-1',
    policy: result.policy,
    policyFile: { uri: 'file:///w/.infrawatch/policy.json', text: policyText },
    alarms: { kind: 'loading' as const },
  };
}

describe('access snapshot', () => {
  it('derives who the caller is and their role from the state it holds', () => {
    const snapshot = createAccessSnapshot(getReadyLoad());
    assert.equal(snapshot.identity?.arn, 'arn:aws:iam::111122223333:user/erin.employee');
    assert.equal(snapshot.role, 'Employee');
    assert.equal(loadingSnapshot.identity, undefined);
    assert.equal(loadingSnapshot.role, undefined);
  });

  it('is frozen all the way down: a reader cannot change the state, the policy or the region', () => {
    const snapshot = createAccessSnapshot(getReadyLoad());
    assert.ok(snapshot.state.kind === 'ready');
    const { access } = snapshot.state;
    assert.throws(() => access.grants.push(access.grants[0]!), TypeError);
    assert.throws(() => ((access.account as { region: string }).region = 'us-east-1'), TypeError);
    assert.throws(() => snapshot.policy!.accounts.splice(0, 1), TypeError);
    assert.throws(() => ((snapshot as { region: string }).region = 'us-east-1'), TypeError);
    assert.throws(() => ((snapshot.policyFile as { text?: string }).text = ''), TypeError);
  });

  it('leaves an error as its maker built it, and replaces a part without touching the snapshot it came from', () => {
    const ready = createAccessSnapshot(getReadyLoad());
    const error = new InfraWatchError('Network', 'Loading InfraWatch failed: cannot reach AWS');
    const failed = createAccessSnapshot({ ...ready, state: { kind: 'failed', error }, alarms: { kind: 'loading' } });
    assert.equal(failed.state.kind === 'failed' && failed.state.error, error);
    assert.equal(Object.isFrozen(error), false);
    assert.equal(failed.identity, undefined, 'no caller is known from a failed load');
    assert.equal(failed.policy, ready.policy, 'the policy in force stays');
    assert.equal(ready.state.kind, 'ready');
    const withAlarms = createAccessSnapshot({ ...ready, alarms: { kind: 'ok', alarms: [] } });
    assert.notEqual(withAlarms, ready);
    assert.equal(withAlarms.state, ready.state);
    assert.equal(ready.alarms.kind, 'loading');
  });
});
