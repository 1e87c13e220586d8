import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { getApi, getPolicyUri, waitFor, withSettings } from './helpers';

interface StoredEvents {
  events: { message: string }[];
}

/** The events the local endpoint's CloudWatch Logs kept for a group (control API). */
async function readGroup(group: string): Promise<StoredEvents | undefined> {
  const endpoint = process.env.INFRAWATCH_TEST_ENDPOINT;
  assert.ok(endpoint, 'INFRAWATCH_TEST_ENDPOINT is set by the harness');
  const response = await fetch(`${endpoint}/_localaws/logs/${encodeURIComponent(group)}`);
  return response.ok ? ((await response.json()) as StoredEvents) : undefined;
}

describe('organisation audit sink', function () {
  this.timeout(40_000);

  it('sends audit records on to the policy’s CloudWatch Logs group', async () => {
    const restore = await withSettings({ profile: 'demo-employee' });
    const original = await vscode.workspace.fs.readFile(getPolicyUri());
    try {
      const api = await getApi();
      await api.refresh();
      // A new policy text (same meaning) is a new policy.loaded record.
      const text = `${new TextDecoder().decode(original).trimEnd()}\n\n`;
      await vscode.workspace.fs.writeFile(getPolicyUri(), new TextEncoder().encode(text));
      await api.refresh();
      const stored = await waitFor(
        'policy.loaded in /infrawatch/audit',
        async () => {
          const group = await readGroup('/infrawatch/audit');
          // Each event is the local record with its place in the writer's own stream chain.
          const events = (group?.events ?? []).map(
            (e) =>
              JSON.parse(e.message) as {
                record: { event: string; actor: string; hash: string };
                stream: { name: string; seq: number; hash: string };
              },
          );
          return events.some((e) => e.record.event === 'policy.loaded' && e.record.actor.endsWith('user/erin.employee'))
            ? events
            : undefined;
        },
        30_000,
      );
      assert.ok(
        stored.every((e) => /^[0-9a-f]{64}$/.test(e.record.hash)),
        'records keep their chain hashes',
      );
      assert.ok(
        stored.every((e) => /^[0-9a-f]{64}$/.test(e.stream.hash) && e.stream.seq >= 1),
        'each event is linked in its stream',
      );
      assert.ok(
        stored.some((e) => e.stream.name.startsWith('111122223333/user/erin.employee/')),
        `a stream named for the writer: ${[...new Set(stored.map((e) => e.stream.name))].join(', ')}`,
      );
    } finally {
      await vscode.workspace.fs.writeFile(getPolicyUri(), original);
      await restore();
    }
  });
});
