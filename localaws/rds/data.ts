// The demo's RDS instances (orders-db, users-db: the ones the CloudWatch demo data and the
// PostgreSQL log groups talk about) and their mutable state: a reboot makes an instance
// `rebooting` for a minute of the endpoint clock, then `available` again.

export interface DbInstance {
  identifier: string;
  instanceClass: string;
  engineVersion: string;
  dbName: string;
  masterUsername: string;
  availabilityZone: string;
  secondaryAvailabilityZone?: string;
  multiAz: boolean;
  allocatedStorageGiB: number;
  iops: number;
  storageThroughput: number;
  /** Epoch ms. */
  createdAt: number;
  resourceId: string;
  tags: Record<string, string>;
  /** Epoch ms until which the instance reports `rebooting`. */
  rebootingUntil?: number;
}

export const rebootDurationMs = 60_000;
const endpointSuffix = 'c8xk2lqz1w9m';
const dayMs = 86_400_000;

export function dbInstanceArn(region: string, accountId: string, identifier: string): string {
  return `arn:aws:rds:${region}:${accountId}:db:${identifier}`;
}

export function dbEndpointAddress(identifier: string, region: string): string {
  return `${identifier}.${endpointSuffix}.${region}.rds.amazonaws.com`;
}

export function dbInstanceStatus(instance: DbInstance, now: number): string {
  return instance.rebootingUntil !== undefined && now < instance.rebootingUntil ? 'rebooting' : 'available';
}

/** The demo instances, created a while before the server clock's start. */
export function createDemoDbInstances(startTime: number): Map<string, DbInstance> {
  const instances: DbInstance[] = [
    {
      identifier: 'orders-db',
      instanceClass: 'db.r6g.xlarge',
      engineVersion: '16.4',
      dbName: 'orders',
      masterUsername: 'orders_admin',
      availabilityZone: 'us-east-1a',
      secondaryAvailabilityZone: 'us-east-1b',
      multiAz: true,
      allocatedStorageGiB: 500,
      iops: 12_000,
      storageThroughput: 500,
      createdAt: startTime - 412 * dayMs,
      resourceId: 'db-7QX2M4KJ5ZL3VHN6TRB2YWFA4E',
      tags: { env: 'prod', team: 'checkout', service: 'orders' },
    },
    {
      identifier: 'users-db',
      instanceClass: 'db.t4g.large',
      engineVersion: '15.8',
      dbName: 'users',
      masterUsername: 'users_admin',
      availabilityZone: 'us-east-1b',
      multiAz: false,
      allocatedStorageGiB: 500,
      iops: 3000,
      storageThroughput: 125,
      createdAt: startTime - 731 * dayMs,
      resourceId: 'db-K3P9W2ZC6YHF4MNQ8DTX5RLJ7A',
      tags: { env: 'prod', team: 'identity', service: 'users' },
    },
  ];
  return new Map(instances.map((i) => [i.identifier, i]));
}
