// The static tier's rule that AWS SDK values load only behind the lazy boundary: which
// import forms count as loading the SDK, and that today's src/ keeps the rule.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { findAwsImportHits, getSdkValueImports } from '../../scripts/lib/awsImportCheck';

describe('AWS SDK imports outside the factory', () => {
  it('counts value imports, re-exports, require() and import() of @aws-sdk and @smithy', () => {
    const text = [
      "import { STSClient } from '@aws-sdk/client-sts';",
      "import * as s3 from '@aws-sdk/client-s3';",
      "import '@smithy/core';",
      "export { GetObjectCommand } from '@aws-sdk/client-s3';",
      "const a = require('@aws-sdk/credential-providers');",
      "const b = import('@smithy/shared-ini-file-loader');",
      "import { type CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';",
    ].join('\n');
    assert.deepEqual(getSdkValueImports('x.ts', text), [
      '@aws-sdk/client-sts',
      '@aws-sdk/client-s3',
      '@smithy/core',
      '@aws-sdk/client-s3',
      '@aws-sdk/credential-providers',
      '@smithy/shared-ini-file-loader',
      '@aws-sdk/client-cloudwatch',
    ]);
  });

  it('lets type-only imports through: they are erased and load nothing', () => {
    const text = [
      "import type { AwsCredentialIdentity } from '@smithy/types';",
      "import { type STSClient, type AssumeRoleCommandOutput } from '@aws-sdk/client-sts';",
      "export type { S3Client } from '@aws-sdk/client-s3';",
      "import { z } from 'zod';",
    ].join('\n');
    assert.deepEqual(getSdkValueImports('x.ts', text), []);
  });

  it('finds nothing in src/ today', () => {
    assert.deepEqual(findAwsImportHits(join(__dirname, '..', '..')), []);
  });
});
