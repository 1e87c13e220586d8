// Discovery at scale: 10,000 resources published with PutMetricData, then listed the
// way the sidebar lists them (ListMetrics, every page), while the event loop is watched
// for the longest stretch it was blocked.
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { catalog } from '../../src/core/catalog';
import { fetchResources } from '../../src/core/discovery';
import { startLocalAwsProcess } from './localAwsProcess';

// PutMetricData refuses AWS/ namespaces, so the bench lists a look-alike of EC2's.
const spec = { ...catalog.ec2, namespace: 'Bench/EC2' };

export interface ListingRun {
  resources: number;
  totalMs: number;
  maxBlockMs: number;
}

async function listOnce(client: CloudWatchClient): Promise<ListingRun> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const t0 = performance.now();
  const resources = await fetchResources(client, spec);
  const totalMs = performance.now() - t0;
  histogram.disable();
  return { resources: resources.length, totalMs, maxBlockMs: histogram.max / 1e6 };
}

/** The first listing pays the SDK's one-time warm-up (module init, JIT); the second is steady state. */
export async function measureResourceListing(
  count: number,
): Promise<{ pages: number; first: ListingRun; second: ListingRun }> {
  const aws = await startLocalAwsProcess();
  const identity = aws.identities.find((i) => i.name === 'admin')!;
  const client = new CloudWatchClient({
    region: aws.region,
    endpoint: aws.url,
    credentials: { accessKeyId: identity.accessKeyId, secretAccessKey: identity.secretAccessKey },
  });
  try {
    for (let start = 0; start < count; start += 1000) {
      const MetricData = Array.from({ length: Math.min(1000, count - start) }, (_, i) => ({
        MetricName: 'CPUUtilization',
        Value: 1,
        Dimensions: [{ Name: 'InstanceId', Value: `i-${(start + i).toString(16).padStart(17, '0')}` }],
      }));
      await client.send(new PutMetricDataCommand({ Namespace: spec.namespace, MetricData }));
    }
    const first = await listOnce(client);
    const second = await listOnce(client);
    return { pages: Math.ceil(count / 500), first, second };
  } finally {
    client.destroy();
    aws.stop();
  }
}
