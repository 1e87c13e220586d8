import { type PolicySource } from '../core/accessState';
import { InfraWatchError } from '../core/errors';
import { loadAwsSdk } from '../core/loadAwsSdk';
import { parsePolicy } from '../core/policy/parse';
import { type CachedPolicyObject, fetchPolicyFromS3, parseS3Location } from '../core/policy/s3Source';
import { pickRegion } from '../core/region';
import { type Settings } from './config';

/**
 * The organisation's policy in S3, read with the base credentials and cached by ETag, so
 * a refresh costs one conditional GET. When it is configured the workspace file is
 * ignored: nobody edits their own grants.
 */
export class OrganisationPolicy {
  private cache: (CachedPolicyObject & { uri: string }) | undefined;

  async load(settings: Settings): Promise<{ source: PolicySource; text?: string; uri?: undefined }> {
    const uri = settings.policySource;
    let location;
    try {
      location = parseS3Location(uri);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return {
        source: {
          kind: 'file',
          path: uri,
          origin: 'organisation',
          result: { ok: false, problems: [{ path: '$', message: `infrawatch.policySource: ${message}` }] },
        },
      };
    }
    const sdk = await loadAwsSdk();
    const s3 = sdk.createS3Client({
      region: pickRegion({
        setting: settings.region,
        environment: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION,
      }),
      credentials: sdk.createDefaultCredentials(settings.profile || undefined),
      ...(settings.endpointUrl ? { endpoint: settings.endpointUrl } : {}),
    });
    try {
      const cached = this.cache?.uri === uri ? this.cache : undefined;
      const fetched = await fetchPolicyFromS3(s3, location, cached);
      this.cache = { uri, etag: fetched.etag, text: fetched.text };
      return {
        source: { kind: 'file', path: uri, origin: 'organisation', result: parsePolicy(fetched.text) },
        text: fetched.text,
      };
    } catch (error) {
      // Unreadable organisation policy: grant nothing, and say why where the problems show.
      const message = error instanceof InfraWatchError ? error.message : `reading ${uri} failed: ${String(error)}`;
      return {
        source: {
          kind: 'file',
          path: uri,
          origin: 'organisation',
          result: { ok: false, problems: [{ path: '$', message }] },
        },
      };
    } finally {
      s3.destroy();
    }
  }
}
