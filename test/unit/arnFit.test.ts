import * as assert from 'node:assert/strict';
import { patternFitsArnFormat as fits } from '../../src/core/arnFit';

const instance = 'arn:${Partition}:ec2:${Region}:${Account}:instance/${InstanceId}';
const volume = 'arn:${Partition}:ec2:${Region}:${Account}:volume/${VolumeId}';
const bucket = 'arn:${Partition}:s3:::${BucketName}';
const object = 'arn:${Partition}:s3:::${BucketName}/${ObjectName}';

describe('resource pattern vs ARN format', () => {
  it('fits a type when some ARN matches both', () => {
    assert.ok(fits('arn:aws:ec2:*:111122223333:instance/i-0prod*', instance));
    assert.ok(fits('arn:aws:ec2:us-east-1:111122223333:instance/i-0a1b2c3d4e5f60001', instance));
    assert.ok(fits('arn:aws:ec2:*:*:*', volume));
    assert.ok(
      fits(
        'arn:aws:rds:us-east-1:111122223333:db:orders-d?',
        'arn:${Partition}:rds:${Region}:${Account}:db:${DbInstanceName}',
      ),
    );
    assert.ok(fits('*', volume));
  });

  it('does not fit another type, even through a wildcard in another segment', () => {
    assert.ok(!fits('arn:aws:ec2:*:111122223333:instance/i-0prod*', volume));
    assert.ok(
      !fits(
        'arn:aws:rds:*:111122223333:db:orders-*',
        'arn:${Partition}:rds:${Region}:${Account}:snapshot:${SnapshotName}',
      ),
    );
    assert.ok(
      !fits(
        'arn:aws:ec2:*:111122223333:instance/i-0prod*',
        'arn:${Partition}:rds:${Region}:${Account}:db:${DbInstanceName}',
      ),
    );
    assert.ok(!fits('arn:aws-cn:ec2:*:111122223333:instance/*', instance.replace('${Partition}', 'aws')));
  });

  it('lets a trailing * reach past a slash, as IAM does (a bucket pattern names its objects too)', () => {
    assert.ok(fits('arn:aws:s3:::logs-*', bucket));
    assert.ok(fits('arn:aws:s3:::logs-*', object));
    assert.ok(!fits('arn:aws:s3:::logs-bucket', object));
    assert.ok(
      fits(
        'arn:aws:lambda:*:111122223333:function:orders-*',
        'arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}:${Qualifier}',
      ),
    );
  });

  it('compares a pattern with fewer segments as a whole', () => {
    assert.ok(fits('arn:aws:ec2:*', instance));
    assert.ok(!fits('arn:aws:rds*', instance));
  });
});
