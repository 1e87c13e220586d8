import * as assert from 'node:assert/strict';
import { getActions } from '../../src/core/catalog';
import { InfraWatchError } from '../../src/core/errors';
import { type EffectiveGrant } from '../../src/core/policy/roles';
import {
  formatDuration,
  getAssumedRoleMaxSessionSeconds,
  getDurationCap,
  getDurationChoices,
} from '../../src/core/sts/duration';
import { buildSessionPolicy, checkSessionPolicy } from '../../src/core/sts/sessionPolicy';
import { StsError } from '../../src/core/sts/stsError';

const grant = (over: Partial<EffectiveGrant> = {}): EffectiveGrant => ({
  service: 'rds',
  level: 'read',
  resources: ['*'],
  maxMinutes: 60,
  defaultMinutes: 30,
  mfa: true,
  reason: true,
  ticket: false,
  fromRole: 'Employee',
  inherited: false,
  ...over,
});

describe('session policy', () => {
  it('allows exactly the catalog actions for the level on every resource, as compact JSON', () => {
    const text = buildSessionPolicy('rds', 'read');
    assert.equal(
      text,
      '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["rds:Describe*","rds:ListTagsForResource","rds:DownloadDBLogFilePortion"],"Resource":"*"}]}',
    );
    assert.deepEqual(JSON.parse(text).Statement[0].Action, getActions('rds', 'read'));
  });

  it('includes the lower levels and drops actions a wildcard covers', () => {
    const write = JSON.parse(buildSessionPolicy('rds', 'write')).Statement[0].Action as string[];
    assert.deepEqual(write, getActions('rds', 'write'));
    assert.ok(write.includes('rds:RebootDBInstance') && write.includes('rds:Describe*'));
    assert.equal(JSON.parse(buildSessionPolicy('rds', 'admin')).Statement[0].Action, 'rds:*');
    const ec2Read = JSON.parse(buildSessionPolicy('ec2', 'read')).Statement[0].Action as string[];
    assert.deepEqual(ec2Read, ['ec2:Describe*', 'ec2:GetConsoleOutput']);
  });

  it('scopes to the grant resources, deduplicated, in order; "*" wins', () => {
    const a = 'arn:aws:rds:us-east-1:111122223333:db:orders-*';
    const b = 'arn:aws:rds:us-east-1:111122223333:db:billing';
    const scoped = JSON.parse(buildSessionPolicy('rds', 'read', [a, b, a])).Statement;
    assert.deepEqual(
      scoped.map((s: { Effect: string }) => s.Effect),
      ['Allow', 'Deny'],
    );
    assert.equal(scoped[0].Resource, '*');
    assert.deepEqual(scoped[1].NotResource, [a, b]);
    assert.equal(JSON.parse(buildSessionPolicy('rds', 'read', [a])).Statement[1].NotResource, a);
    assert.equal(JSON.parse(buildSessionPolicy('rds', 'read', [a, '*'])).Statement[0].Resource, '*');
    assert.equal(JSON.parse(buildSessionPolicy('rds', 'read', [a, '*'])).Statement.length, 1);
    assert.equal(JSON.parse(buildSessionPolicy('rds', 'read', [])).Statement[0].Resource, '*');
  });

  it('is deterministic and has no whitespace', () => {
    const text = buildSessionPolicy('lambda', 'write', ['arn:aws:lambda:us-east-1:111122223333:function:x']);
    assert.equal(text, buildSessionPolicy('lambda', 'write', ['arn:aws:lambda:us-east-1:111122223333:function:x']));
    assert.equal(text, JSON.stringify(JSON.parse(text)));
  });

  it('passes the check within 2,048 characters and fails beyond with an actionable InfraWatchError', () => {
    const few = Array.from({ length: 5 }, (_, i) => `arn:aws:rds:us-east-1:111122223333:db:orders-${i}`);
    checkSessionPolicy(buildSessionPolicy('rds', 'read', few), few.length);
    const many = Array.from({ length: 40 }, (_, i) => `arn:aws:rds:us-east-1:111122223333:db:orders-database-${i}`);
    const big = buildSessionPolicy('rds', 'read', many);
    assert.ok(big.length > 2048);
    assert.throws(
      () => checkSessionPolicy(big, many.length),
      (e: unknown) => {
        assert.ok(e instanceof InfraWatchError && e instanceof StsError);
        assert.equal(e.code, 'Validation');
        assert.equal(e.nextAction, 'fixPolicy');
        assert.match(
          e.message,
          /over AWS's limit of 2,048 \(its 40 resource patterns\): give the grant fewer resource patterns, or a broader pattern/,
        );
        return true;
      },
    );
  });
});

describe('duration caps and choices', () => {
  it('formats durations for people', () => {
    assert.equal(formatDuration(900), '15 minutes');
    assert.equal(formatDuration(3600), '1 hour');
    assert.equal(formatDuration(5400), '1 hour 30 minutes');
    assert.equal(formatDuration(43_200), '12 hours');
    assert.equal(formatDuration(60), '1 minute');
  });

  it('is bound by the policy when nothing else is lower', () => {
    const cap = getDurationCap({
      grant: grant({ maxMinutes: 60 }),
      roleMaxSessionSeconds: 14_400,
      baseIsRoleSession: false,
    });
    assert.equal(cap.maxSeconds, 3600);
    assert.equal(cap.reason, "the policy's maximum for RDS read is 60 minutes");
    assert.deepEqual(cap.limitedBy, ['policy']);
  });

  it('is bound by role chaining for a role-session base, and says why', () => {
    const cap = getDurationCap({
      grant: grant({ maxMinutes: 240 }),
      roleMaxSessionSeconds: 14_400,
      baseIsRoleSession: true,
    });
    assert.equal(cap.maxSeconds, 3600);
    assert.equal(
      cap.reason,
      'limited to 1 hour because your AWS credentials are themselves a role session (role chaining)',
    );
    const tie = getDurationCap({ grant: grant({ maxMinutes: 60 }), baseIsRoleSession: true });
    assert.deepEqual(tie.limitedBy, ['chaining', 'policy'], 'on a tie chaining is named first');
  });

  it('is bound by the role MaxSessionDuration when that is lowest', () => {
    const cap = getDurationCap({
      grant: grant({ maxMinutes: 480 }),
      roleMaxSessionSeconds: 7200,
      baseIsRoleSession: false,
    });
    assert.equal(cap.maxSeconds, 7200);
    assert.match(cap.reason, /limited to 2 hours by the IAM role's maximum session duration \(MaxSessionDuration\)/);
  });

  it('is bound by AWS at 12 hours', () => {
    const cap = getDurationCap({
      grant: grant({ maxMinutes: 720, service: 'ec2', level: 'admin' }),
      baseIsRoleSession: false,
    });
    assert.equal(cap.maxSeconds, 43_200);
    assert.deepEqual(cap.limitedBy, ['policy', 'aws']);
    assert.equal(cap.reason, "the policy's maximum for EC2 admin is 720 minutes");
  });

  it('assumes the role max from the longest grant, within 1–12 hours', () => {
    assert.equal(getAssumedRoleMaxSessionSeconds([grant({ maxMinutes: 60 }), grant({ maxMinutes: 240 })]), 14_400);
    assert.equal(getAssumedRoleMaxSessionSeconds([grant({ maxMinutes: 30 })]), 3600);
    assert.equal(getAssumedRoleMaxSessionSeconds([]), 3600);
  });

  it('offers the presets up to the cap with the grant default marked', () => {
    const g = grant({ maxMinutes: 240, defaultMinutes: 60 });
    const choices = getDurationChoices(getDurationCap({ grant: g, baseIsRoleSession: false }), g);
    assert.deepEqual(
      choices.map((c) => c.label),
      ['15 minutes', '30 minutes', '1 hour', '2 hours', '4 hours'],
    );
    assert.deepEqual(
      choices.filter((c) => c.isDefault).map((c) => c.seconds),
      [3600],
    );
  });

  it('adds a non-preset default and cap, and shortens a default above the cap', () => {
    const g = grant({ maxMinutes: 90, defaultMinutes: 45 });
    const choices = getDurationChoices(getDurationCap({ grant: g, baseIsRoleSession: false }), g);
    assert.deepEqual(
      choices.map((c) => c.seconds),
      [900, 1800, 2700, 3600, 5400],
    );
    assert.equal(choices.find((c) => c.isDefault)?.seconds, 2700);
    const long = grant({ maxMinutes: 480, defaultMinutes: 240 });
    const chained = getDurationChoices(getDurationCap({ grant: long, baseIsRoleSession: true }), long);
    assert.deepEqual(
      chained.map((c) => c.seconds),
      [900, 1800, 3600],
    );
    assert.deepEqual(
      chained.filter((c) => c.isDefault).map((c) => c.seconds),
      [3600],
    );
  });
});
