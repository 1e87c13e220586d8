import * as assert from 'node:assert/strict';
import { describeWhereItRuns } from '../../src/core/whereItRuns';

describe('describeWhereItRuns', () => {
  it('names the host of a local window', () => {
    assert.deepEqual(describeWhereItRuns({ host: 'laptop', remoteName: undefined, workspaceSide: false }), {
      level: 'info',
      message: 'InfraWatch runs on laptop (local window)',
    });
  });

  it('names the remote when it runs on the workspace side', () => {
    assert.deepEqual(describeWhereItRuns({ host: 'devbox', remoteName: 'ssh-remote', workspaceSide: true }), {
      level: 'info',
      message: 'InfraWatch runs on devbox (remote: ssh-remote, workspace side)',
    });
  });

  it('warns when a setting moved it to the UI side of a remote window', () => {
    const line = describeWhereItRuns({ host: 'laptop', remoteName: 'wsl', workspaceSide: false });
    assert.equal(line.level, 'warn');
    assert.match(
      line.message,
      /^InfraWatch runs on laptop \(remote: wsl, UI side\): terminals on the remote cannot reach/,
    );
    assert.match(line.message, /remote\.extensionKind/);
  });
});
