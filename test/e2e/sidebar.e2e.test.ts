// What a person sees in the InfraWatch side bar: who they are, and exactly the services
// their role may use — and how that changes when they switch to another AWS profile.
import assert from 'node:assert/strict';
import { useE2eSession, type TreeRow } from './harness';

// Every service display name the catalog can show as a top-level row.
const serviceNames = new Set([
  'EC2',
  'RDS',
  'Lambda',
  'ECS',
  'DynamoDB',
  'S3',
  'SQS',
  'Application Load Balancer',
  'API Gateway',
]);

function services(rows: TreeRow[]): string[] {
  return rows
    .map((r) => r.label)
    .filter((label) => serviceNames.has(label))
    .sort();
}

function identityRow(rows: TreeRow[], userName: string): TreeRow | undefined {
  return rows.find((r) => r.label.includes(userName));
}

describe('sidebar (e2e)', function () {
  const session = useE2eSession({ label: 'sidebar' });

  it('shows an Employee who they are and exactly EC2, RDS, Lambda and SQS', async () => {
    await session().openInfraWatch();
    const rows = await session().waitForTree(
      'the Employee identity and services',
      (r) => identityRow(r, 'erin.employee') !== undefined && services(r).length >= 4,
    );
    const identity = identityRow(rows, 'erin.employee')!;
    assert.match(`${identity.label} ${identity.description}`, /\bEmployee\b/);
    assert.deepEqual(services(rows), ['EC2', 'Lambda', 'RDS', 'SQS']);
    await session().screenshot('sidebar-employee');
  });

  it('expands RDS to the resources CloudWatch knows, with their alarm state', async () => {
    const rds = session().page.locator('.part.sidebar .pane-body .monaco-list-row', { hasText: /^RDS/ }).first();
    await rds.click();
    const rows = await session().waitForTree('the RDS instances', (r) => r.some((row) => row.label === 'orders-db'));
    const orders = rows.find((r) => r.label === 'orders-db')!;
    assert.equal(orders.description, 'in alarm', 'the incident keeps orders-db-cpu-high in ALARM');
    assert.ok(
      rows.some((r) => r.label === 'users-db'),
      JSON.stringify(rows),
    );
    await session().waitForTree('the alarm count on RDS', (r) =>
      r.some((row) => row.label === 'RDS' && /1 in alarm/.test(row.description)),
    );
    await session().screenshot('sidebar-employee-rds');
    await rds.click(); // collapse again for the next scenario
  });

  it('shows a Manager exactly EC2, RDS, Lambda, ECS, DynamoDB, SQS and the load balancer after switching profile', async () => {
    await session().switchProfile('demo-manager');
    const rows = await session().waitForTree(
      'the Manager identity and services',
      (r) => identityRow(r, 'max.manager') !== undefined && services(r).length >= 7,
    );
    const identity = identityRow(rows, 'max.manager')!;
    assert.match(`${identity.label} ${identity.description}`, /\bManager\b/);
    assert.deepEqual(services(rows), ['Application Load Balancer', 'DynamoDB', 'EC2', 'ECS', 'Lambda', 'RDS', 'SQS']);
    assert.equal(identityRow(rows, 'erin.employee'), undefined, 'the Employee identity is still shown');
    await session().screenshot('sidebar-manager');
  });

  it('explains to an unassigned principal that no role is assigned, and what to do', async () => {
    await session().switchProfile('demo-unassigned');
    const welcome = session().page.locator('.part.sidebar .welcome-view-content');
    await welcome.filter({ hasText: 'not assigned to any role' }).waitFor({ timeout: 30_000 });
    const text = (await welcome.innerText()).replace(/\s+/g, ' ');
    assert.match(text, /Ask an InfraWatch admin to add your ARN/);
    for (const button of ['Copy My ARN', 'Switch AWS Profile', 'Open Access Policy']) {
      assert.ok(
        (await session()
          .page.locator('.part.sidebar .welcome-view-content a.monaco-button', { hasText: button })
          .count()) > 0,
        button,
      );
    }
    assert.deepEqual(services(await session().treeRows()), [], 'no service is listed');
    await session().screenshot('sidebar-unassigned');
  });
});
