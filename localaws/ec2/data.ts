// The demo's EC2 instances (the ids the CloudWatch demo data and the /ec2/<id> log groups
// use), one reservation each, and what a reboot leaves behind (EC2 keeps reporting
// `running` through a reboot; the endpoint only counts them, for tests).

export interface Ec2Instance {
  instanceId: string;
  reservationId: string;
  name: string;
  instanceType: string;
  imageId: string;
  availabilityZone: string;
  subnetId: string;
  privateIp: string;
  publicIp?: string;
  /** Epoch ms. */
  launchedAt: number;
  state: 'running' | 'stopped';
  tags: Record<string, string>;
  securityGroup: { id: string; name: string };
  reboots: number[];
}

export const demoVpcId = 'vpc-0f1e2d3c4b5a69788';
const dayMs = 86_400_000;

export function ec2InstanceArn(region: string, accountId: string, instanceId: string): string {
  return `arn:aws:ec2:${region}:${accountId}:instance/${instanceId}`;
}

/** EC2's state codes: the low byte of `code` is what clients compare. */
export const stateCodes: Record<Ec2Instance['state'], number> = { running: 16, stopped: 80 };

export function createDemoEc2Instances(startTime: number): Map<string, Ec2Instance> {
  const web = { id: 'sg-0a9b8c7d6e5f40312', name: 'prod-web' };
  const instances: Ec2Instance[] = [
    {
      instanceId: 'i-0a1b2c3d4e5f60001',
      reservationId: 'r-0f6e5d4c3b2a10001',
      name: 'web-1',
      instanceType: 'm6i.large',
      imageId: 'ami-0c7217cdde317cfec',
      availabilityZone: 'us-east-1a',
      subnetId: 'subnet-0a11b22c33d44e001',
      privateIp: '10.0.1.23',
      publicIp: '54.210.167.204',
      launchedAt: startTime - 38 * dayMs,
      state: 'running',
      tags: { Name: 'web-1', env: 'prod', role: 'web' },
      securityGroup: web,
      reboots: [],
    },
    {
      instanceId: 'i-0a1b2c3d4e5f60002',
      reservationId: 'r-0f6e5d4c3b2a10002',
      name: 'web-2',
      instanceType: 'm6i.large',
      imageId: 'ami-0c7217cdde317cfec',
      availabilityZone: 'us-east-1b',
      subnetId: 'subnet-0a11b22c33d44e002',
      privateIp: '10.0.2.41',
      publicIp: '3.91.22.118',
      launchedAt: startTime - 38 * dayMs,
      state: 'running',
      tags: { Name: 'web-2', env: 'prod', role: 'web' },
      securityGroup: web,
      reboots: [],
    },
    {
      instanceId: 'i-0a1b2c3d4e5f60003',
      reservationId: 'r-0f6e5d4c3b2a10003',
      name: 'batch-1',
      instanceType: 'c6i.xlarge',
      imageId: 'ami-0c7217cdde317cfec',
      availabilityZone: 'us-east-1a',
      subnetId: 'subnet-0a11b22c33d44e001',
      privateIp: '10.0.1.87',
      launchedAt: startTime - 112 * dayMs,
      state: 'running',
      tags: { Name: 'batch-1', env: 'prod', role: 'batch' },
      securityGroup: { id: 'sg-0b1c2d3e4f5a60789', name: 'prod-batch' },
      reboots: [],
    },
  ];
  return new Map(instances.map((i) => [i.instanceId, i]));
}
