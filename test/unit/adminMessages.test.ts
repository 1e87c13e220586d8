import * as assert from 'node:assert/strict';
import {
  adminStateSchema,
  adminToHostSchema,
  adminToWebviewSchema,
  auditRowSchema,
  simulationSchema,
} from '../../src/shared/adminMessages';
import { parseMessage } from '../../src/shared/messages';

const row = {
  seq: 3,
  time: Date.UTC(2025, 0, 2),
  event: 'access.granted',
  actor: 'arn:aws:iam::111122223333:user/erin.employee',
  role: 'Employee',
  service: 'lambda',
  level: 'read',
  outcome: 'success',
  durationSeconds: 3600,
  requestId: 'iw-abc',
  source: 'both',
  verification: 'verified',
  stream: '111122223333/user/erin.employee/m1',
} as const;

const grant = {
  role: 'Employee',
  service: 'lambda',
  level: 'read',
  maxMinutes: 60,
  defaultMinutes: 60,
  mfa: false,
  reason: false,
  ticket: false,
  inherited: false,
  fromRole: 'Employee',
} as const;

describe('admin panel messages', () => {
  it('accepts the messages the webview sends and rejects unknown or malformed ones', () => {
    assert.ok(parseMessage(adminToHostSchema, { type: 'ready' }));
    assert.ok(
      parseMessage(adminToHostSchema, {
        type: 'simulate',
        requestId: 'r1',
        arn: 'arn:aws:iam::111122223333:user/erin',
      }),
    );
    assert.ok(
      parseMessage(adminToHostSchema, {
        type: 'loadAudit',
        requestId: 'r2',
        filter: { user: 'erin', outcome: 'denied', from: 1, to: 2 },
        page: 0,
        pageSize: 50,
        reload: false,
      }),
    );
    assert.ok(parseMessage(adminToHostSchema, { type: 'export', requestId: 'r3', format: 'ocsf', filter: {} }));
    assert.equal(
      parseMessage(adminToHostSchema, { type: 'export', requestId: 'r3', format: 'xml', filter: {} }),
      undefined,
    );
    assert.equal(parseMessage(adminToHostSchema, { type: 'simulate', requestId: 'bad id!', arn: 'x' }), undefined);
    assert.equal(
      parseMessage(adminToHostSchema, {
        type: 'loadAudit',
        requestId: 'r2',
        filter: {},
        page: 0,
        pageSize: 100_000,
        reload: false,
      }),
      undefined,
    );
    assert.equal(parseMessage(adminToHostSchema, { type: 'runShell', command: 'rm -rf /' }), undefined);
  });

  it('rejects a filter whose time window runs backwards or carries extra keys', () => {
    const load = (filter: unknown) =>
      parseMessage(adminToHostSchema, {
        type: 'loadAudit',
        requestId: 'r1',
        filter,
        page: 0,
        pageSize: 10,
        reload: false,
      });
    assert.equal(load({ from: 5, to: 4 }), undefined);
    assert.equal(load({ secretAccessKey: 'x' }), undefined);
    assert.equal(load({ from: 1_700_000_000 * 1_000_000 }), undefined, 'microseconds are out of range');
  });

  it('lets audit rows carry only public fields: an extra key (a token) fails', () => {
    assert.ok(parseMessage(auditRowSchema, row));
    assert.equal(parseMessage(auditRowSchema, { ...row, sessionToken: 'FwoGZXIvYXdzE' }), undefined);
    assert.equal(parseMessage(auditRowSchema, { ...row, outcome: 'maybe' }), undefined);
    assert.equal(parseMessage(auditRowSchema, { ...row, source: 'elsewhere' }), undefined);
    // An unverified organisation record always says why; a verified one cannot carry a reason.
    assert.ok(parseMessage(auditRowSchema, { ...row, verification: 'unverified', unverifiedReason: 'no stream link' }));
    assert.equal(parseMessage(auditRowSchema, { ...row, verification: 'unverified' }), undefined);
    assert.equal(parseMessage(auditRowSchema, { ...row, unverifiedReason: 'no stream link' }), undefined);
    assert.equal(parseMessage(auditRowSchema, { ...row, verification: undefined }), undefined);
  });

  it('validates what the extension sends: init, simulation, audit page, export, failure', () => {
    const init = {
      type: 'init',
      panel: 'admin',
      caller: 'arn:aws:iam::111122223333:user/ada.admin',
      policyPath: '/w/.infrawatch/policy.json',
      roles: ['Employee'],
      services: ['lambda'],
      matrix: [grant],
      logGroup: '/infrawatch/audit',
    };
    assert.ok(parseMessage(adminToWebviewSchema, init));
    assert.equal(parseMessage(adminToWebviewSchema, { ...init, matrix: [{ ...grant, level: 'root' }] }), undefined);
    const simulation = {
      arn: 'arn:aws:iam::111122223333:user/erin',
      valid: true,
      account: '111122223333',
      role: 'Employee',
      matchedBy: 'userName',
      pattern: 'erin',
      admin: false,
      grants: [grant],
      explanation: 'Assignment #1 matches',
    };
    assert.ok(parseMessage(simulationSchema, simulation));
    assert.ok(parseMessage(adminToWebviewSchema, { type: 'simulation', requestId: 'r1', result: simulation }));
    const page = {
      type: 'audit',
      requestId: 'r2',
      rows: [row],
      page: 0,
      pageCount: 1,
      total: 1,
      local: { count: 1 },
      remote: { count: 0, error: 'Logs unavailable', logGroup: '/infrawatch/audit' },
    };
    assert.ok(parseMessage(adminToWebviewSchema, page));
    assert.equal(
      parseMessage(adminToWebviewSchema, { ...page, rows: Array.from({ length: 501 }, () => row) }),
      undefined,
      'a page is bounded',
    );
    assert.ok(
      parseMessage(adminToWebviewSchema, {
        type: 'exported',
        requestId: 'r3',
        path: '/tmp/a.csv',
        count: 1,
        format: 'csv',
      }),
    );
    assert.ok(parseMessage(adminToWebviewSchema, { type: 'failed', message: 'nope', code: 'AccessDenied' }));
    assert.equal(
      parseMessage(adminToWebviewSchema, { type: 'theme', kind: 'light' }),
      undefined,
      'the page follows the theme by CSS alone',
    );
  });

  it('restores only a well-formed saved state', () => {
    assert.ok(
      parseMessage(adminStateSchema, {
        panel: 'admin',
        filter: { service: 'rds' },
        page: 2,
        simulateArn: 'arn:aws:iam::111122223333:user/erin',
      }),
    );
    assert.equal(parseMessage(adminStateSchema, { panel: 'metrics', filter: {}, page: 0 }), undefined);
    assert.equal(parseMessage(adminStateSchema, { panel: 'admin', filter: {}, page: -1 }), undefined);
  });
});
