import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { getApi, getPolicyUri, getRootLabels, waitFor, withSettings } from './helpers';

const employeeServices = ['EC2', 'RDS', 'Lambda', 'SQS'];
const managerServices = ['EC2', 'RDS', 'Lambda', 'ECS', 'DynamoDB', 'SQS', 'Application Load Balancer'];

describe('sidebar', function () {
  this.timeout(30_000);
  let restore: (() => Promise<void>) | undefined;

  afterEach(async () => {
    await restore?.();
    restore = undefined;
    const api = await getApi();
    await api.refresh();
  });

  it('shows who you are, then exactly the services an Employee may use', async () => {
    restore = await withSettings({ profile: 'demo-employee' });
    const api = await getApi();
    const state = await api.refresh();
    assert.equal(state.kind, 'ready', JSON.stringify(state));
    const roots = await api.getChildren();
    assert.equal(roots[0]?.node.kind, 'identity');
    assert.equal(roots[0]?.item.label, 'erin.employee');
    assert.match(String(roots[0]?.item.description), /^Employee · demo \(111122223333\)$/);
    assert.equal(roots[1]?.item.label, 'Access policy');
    assert.equal(roots[1]?.item.description, 'workspace · .infrawatch/policy.json');
    assert.deepEqual((await getRootLabels(api)).slice(2), employeeServices);
  });

  it('lists a service’s resources from CloudWatch with their alarm state', async () => {
    restore = await withSettings({ profile: 'demo-employee' });
    const api = await getApi();
    await api.refresh();
    const rds = (await api.getChildren()).find(({ item }) => item.label === 'RDS');
    assert.ok(rds, 'RDS is listed');
    const resources = await api.getChildren(rds.node);
    const orders = resources.find(({ item }) => item.label === 'orders-db');
    assert.ok(orders, `orders-db among ${resources.map((r) => r.item.label).join(', ')}`);
    assert.equal(orders.item.description, 'in alarm');
    assert.equal(orders.item.contextValue, 'resource.alarm.logs');
    // The service line counts alarms once DescribeAlarms has answered.
    await waitFor('the alarm count on RDS', async () => {
      const again = (await api.getChildren()).find(({ item }) => item.label === 'RDS');
      return again?.item.description && /in alarm/.test(String(again.item.description)) ? true : undefined;
    });
  });

  it('counts the resources in ALARM on the view’s badge', async () => {
    restore = await withSettings({ profile: 'demo-employee' });
    const api = await getApi();
    await api.refresh();
    const badge = await waitFor('the alarm badge', () => api.getBadge());
    assert.equal(badge.value, 1, 'orders-db is the one resource in ALARM among EC2, RDS, Lambda, SQS');
    assert.match(badge.tooltip, /1 resource in alarm/);
  });

  it('shows a Manager more services', async () => {
    restore = await withSettings({ profile: 'demo-manager' });
    const api = await getApi();
    const state = await api.refresh();
    assert.equal(state.kind === 'ready' && state.access.role, 'Manager');
    assert.deepEqual((await getRootLabels(api)).slice(2), managerServices);
  });

  it('matches a role session by ARN glob', async () => {
    restore = await withSettings({ profile: 'demo-sso' });
    const api = await getApi();
    const state = await api.refresh();
    assert.equal(state.kind, 'ready');
    assert.equal(state.kind === 'ready' && state.access.resolution.matchedBy, 'glob');
    assert.deepEqual((await getRootLabels(api)).slice(2), employeeServices);
  });

  it('explains, with an empty tree for the welcome view, that an unassigned principal has no role', async () => {
    restore = await withSettings({ profile: 'demo-unassigned' });
    const api = await getApi();
    const state = await api.refresh();
    assert.equal(state.kind, 'noRole');
    assert.deepEqual(await api.getChildren(), []);
  });

  it('shows an error node, not an empty tree, when AWS cannot be reached', async () => {
    restore = await withSettings({ profile: 'demo-employee', endpointUrl: 'http://127.0.0.1:9' });
    const api = await getApi();
    const state = await api.refresh();
    assert.equal(state.kind, 'failed');
    const roots = await api.getChildren();
    assert.equal(roots.length, 1);
    assert.equal(roots[0]?.item.label, 'Could not identify you');
    assert.match(String(roots[0]?.item.description), /cannot reach AWS/);
  });

  it('says there is no policy when the configured file does not exist', async () => {
    restore = await withSettings({ profile: 'demo-employee', policyPath: '/nonexistent/policy.json' });
    const api = await getApi();
    assert.equal((await api.refresh()).kind, 'noPolicy');
    assert.deepEqual(await api.getChildren(), []);
  });
});

describe('a broken policy', function () {
  this.timeout(30_000);
  let original: Uint8Array;

  before(async () => {
    original = await vscode.workspace.fs.readFile(getPolicyUri());
  });

  after(async () => {
    await vscode.workspace.fs.writeFile(getPolicyUri(), original);
    await (await getApi()).refresh();
  });

  it('yields one problem per mistake, each naming its JSON path, and grants nothing', async () => {
    const policy = JSON.parse(new TextDecoder().decode(original));
    policy.roles.Employee.grants[0].service = 'rdss';
    policy.roles.Employee.inherits = 'Admin'; // Admin → Manager → Employee → Admin
    policy.roles.Manager.roleArns['111122223333'] = 'arn:aws:iam:role/InfraWatch-Manager';
    policy.assignments[0].role = 'Intern';
    await vscode.workspace.fs.writeFile(getPolicyUri(), new TextEncoder().encode(JSON.stringify(policy, null, 2)));
    const api = await getApi();
    const state = await api.refresh();
    assert.equal(state.kind, 'invalidPolicy');
    const paths = state.kind === 'invalidPolicy' ? state.problems.map((p) => p.path) : [];
    assert.ok(
      paths.some((p) => p.startsWith('$.roles.Employee.grants[0].service')),
      paths.join(' | '),
    );
    assert.ok(
      paths.some((p) => p.startsWith('$.roles.Manager.roleArns')),
      paths.join(' | '),
    );
    const labels = await getRootLabels(api);
    assert.equal(labels[0], 'Access policy is invalid');
    assert.ok(!labels.includes('EC2'), 'no service is granted');
    const diagnostics = vscode.languages.getDiagnostics(getPolicyUri());
    assert.equal(diagnostics.length, labels.length - 1, 'a diagnostic for each problem');
  });

  it('reports a JSON syntax error with its position, and reloads when the file is saved', async () => {
    await vscode.workspace.fs.writeFile(
      getPolicyUri(),
      new TextEncoder().encode('{\n  "version": 1,\n  "accounts": [\n'),
    );
    const api = await getApi();
    await waitFor('the watcher to reload the policy', () => {
      const s = api.getState();
      return s.kind === 'invalidPolicy' ? s : undefined;
    });
    const diagnostics = vscode.languages.getDiagnostics(getPolicyUri());
    assert.ok(diagnostics.length >= 1);
    assert.ok(
      diagnostics.every((d) => d.message.startsWith('$')),
      diagnostics.map((d) => d.message).join(' | '),
    );
    await vscode.workspace.fs.writeFile(getPolicyUri(), original);
    await waitFor('the valid policy to be back', () => (api.getState().kind === 'ready' ? true : undefined));
  });
});

describe('commands', function () {
  this.timeout(30_000);

  it('Switch AWS Profile changes who you are', async () => {
    const restore = await withSettings({ profile: 'demo-employee' });
    const api = await getApi();
    await api.refresh();
    const original = vscode.window.showQuickPick;
    let offered: string[] = [];
    (vscode.window as { showQuickPick: unknown }).showQuickPick = async (items: readonly vscode.QuickPickItem[]) => {
      offered = items.map((i) => i.label);
      return items.find((i) => i.label === 'demo-admin');
    };
    try {
      await vscode.commands.executeCommand('infrawatch.switchProfile');
      assert.ok(offered.includes('demo-manager') && offered.includes('demo-admin'), offered.join(', '));
      const state = await waitFor('the admin identity', () => {
        const s = api.getState();
        return s.kind === 'ready' && s.access.role === 'Admin' ? s : undefined;
      });
      assert.equal(state.access.services.length, 9);
    } finally {
      (vscode.window as { showQuickPick: unknown }).showQuickPick = original;
      await restore();
    }
  });
});

describe('the organisation policy source', function () {
  this.timeout(30_000);

  it('reads the policy from S3 instead of the workspace file, and says so', async () => {
    const restore = await withSettings({
      profile: 'demo-manager',
      policySource: 's3://infrawatch-policy-111122223333/policy.json',
    });
    const original = await vscode.workspace.fs.readFile(getPolicyUri());
    try {
      // A workspace file that would grant nothing: it must not matter any more.
      await vscode.workspace.fs.writeFile(getPolicyUri(), new TextEncoder().encode('{ "broken": '));
      const api = await getApi();
      const state = await api.refresh();
      assert.equal(state.kind, 'ready', JSON.stringify(state));
      const roots = await api.getChildren();
      assert.equal(roots[1]?.item.description, 'organisation · s3://infrawatch-policy-111122223333/policy.json');
      assert.deepEqual((await getRootLabels(api)).slice(2), managerServices);
    } finally {
      await vscode.workspace.fs.writeFile(getPolicyUri(), original);
      await restore();
    }
  });

  it('grants nothing and says why when the object cannot be read', async () => {
    const restore = await withSettings({
      profile: 'demo-manager',
      policySource: 's3://infrawatch-policy-111122223333/missing.json',
    });
    try {
      const state = await (await getApi()).refresh();
      assert.equal(state.kind, 'invalidPolicy');
      assert.match(state.kind === 'invalidPolicy' ? state.problems[0]!.message : '', /missing\.json/);
    } finally {
      await restore();
    }
  });
});
