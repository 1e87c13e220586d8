// The AWS SDK is loaded on the first AWS call, not with the extension: it was half of the
// extension's load time, and most editor sessions call AWS only once the view is opened.
// Everything that loads the SDK sits behind src/core/awsSdk.ts, which the build makes a
// bundle of its own (dist/aws.js); elsewhere SDK imports are type-only (the static tier
// checks this).
import type * as AwsSdkModule from './awsSdk';

export type AwsSdk = typeof AwsSdkModule;

let loading: Promise<AwsSdk> | undefined;

/** The SDK part, loaded once; a failed load is tried again on the next call. */
export function loadAwsSdk(): Promise<AwsSdk> {
  loading ??= import('./awsSdk.js').catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}
