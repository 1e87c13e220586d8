import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { getApi, waitFor, type TestApi } from './helpers';
import { settle, withUserSettings } from './sessionKit';

/** The region the identity node names: the tree reads it beside the state, as every reader of the controller does. */
async function getShownRegion(api: TestApi): Promise<{ state: object; region: string } | undefined> {
  const identity = (await api.getChildren()).find(({ node }) => node.kind === 'identity');
  const tooltip = identity?.item.tooltip;
  const region = tooltip instanceof vscode.MarkdownString ? /Region: (\S+)/.exec(tooltip.value)?.[1] : undefined;
  return region === undefined ? undefined : { state: api.getState(), region };
}

describe('the access snapshot', function () {
  this.timeout(30_000);
  let restore: (() => Promise<void>) | undefined;

  afterEach(async () => {
    await restore?.();
    restore = undefined;
  });

  it('never shows a state with the region of another load, even while a reload is under way', async () => {
    restore = await withUserSettings({ profile: 'demo-employee', region: 'us-east-1' });
    const api = await getApi();
    await api.refresh();
    await settle();
    const before = api.getState();
    assert.equal(before.kind, 'ready', JSON.stringify(before));
    // Each state object with every region it was shown with; one load, one region.
    const shown = new Map<object, Set<string>>();
    let watching = true;
    const watch = (async () => {
      while (watching) {
        const seen = await getShownRegion(api);
        if (seen) shown.set(seen.state, (shown.get(seen.state) ?? new Set()).add(seen.region));
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    await vscode.workspace
      .getConfiguration('infrawatch')
      .update('region', 'eu-west-1', vscode.ConfigurationTarget.Global);
    await waitFor(
      'the reload for the new region',
      () => api.getState() !== before && api.getState().kind !== 'loading',
    );
    await settle();
    watching = false;
    await watch;
    const mixed = [...shown.values()]
      .filter((regions) => regions.size > 1)
      .map((regions) => [...regions].join(' and '));
    assert.deepEqual(mixed, [], 'one state shown with two regions');
    assert.ok(
      [...shown.values()].some((regions) => regions.has('eu-west-1')),
      'the new region was shown',
    );
  });
});
