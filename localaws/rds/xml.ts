// One RDS DBInstance in the awsQuery XML the RDS API returns (2014-10-31): list members
// are named after their shape (`<DBInstance>`, `<Tag>`, `<VpcSecurityGroupMembership>`).

import { xmlElement } from '../server/protocol';
import { dbEndpointAddress, dbInstanceArn, dbInstanceStatus, type DbInstance } from './data';

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function tagList(tags: Record<string, string>): string {
  return `<TagList>${Object.entries(tags)
    .map(([k, v]) => `<Tag>${xmlElement('Key', k)}${xmlElement('Value', v)}</Tag>`)
    .join('')}</TagList>`;
}

function endpoint(instance: DbInstance, region: string): string {
  return (
    `<Endpoint>${xmlElement('Address', dbEndpointAddress(instance.identifier, region))}${xmlElement('Port', 5432)}` +
    `${xmlElement('HostedZoneId', 'Z2R2ITUGPM61AM')}</Endpoint>`
  );
}

function networking(instance: DbInstance): string {
  const groups =
    '<VpcSecurityGroups><VpcSecurityGroupMembership><VpcSecurityGroupId>sg-0d4c3b2a19f8e7d65</VpcSecurityGroupId>' +
    '<Status>active</Status></VpcSecurityGroupMembership></VpcSecurityGroups>';
  const subnets =
    '<DBSubnetGroup><DBSubnetGroupName>prod-db-subnets</DBSubnetGroupName><DBSubnetGroupDescription>Private subnets for databases</DBSubnetGroupDescription>' +
    '<VpcId>vpc-0f1e2d3c4b5a69788</VpcId><SubnetGroupStatus>Complete</SubnetGroupStatus></DBSubnetGroup>';
  return (
    `${groups}${subnets}${xmlElement('PubliclyAccessible', false)}${xmlElement('MultiAZ', instance.multiAz)}` +
    `${xmlElement('AvailabilityZone', instance.availabilityZone)}${xmlElement('SecondaryAvailabilityZone', instance.secondaryAvailabilityZone)}`
  );
}

function storage(instance: DbInstance): string {
  return (
    `${xmlElement('AllocatedStorage', instance.allocatedStorageGiB)}${xmlElement('StorageType', 'gp3')}${xmlElement('Iops', instance.iops)}` +
    `${xmlElement('StorageThroughput', instance.storageThroughput)}${xmlElement('StorageEncrypted', true)}` +
    `${xmlElement('MaxAllocatedStorage', instance.allocatedStorageGiB * 2)}`
  );
}

/** `<DBInstance>…</DBInstance>` as the endpoint clock sees it at `now`. */
export function dbInstanceXml(instance: DbInstance, region: string, accountId: string, now: number): string {
  const arn = dbInstanceArn(region, accountId, instance.identifier);
  return (
    '<DBInstance>' +
    `${xmlElement('DBInstanceIdentifier', instance.identifier)}${xmlElement('DBInstanceClass', instance.instanceClass)}` +
    `${xmlElement('Engine', 'postgres')}${xmlElement('EngineVersion', instance.engineVersion)}` +
    `${xmlElement('DBInstanceStatus', dbInstanceStatus(instance, now))}${xmlElement('MasterUsername', instance.masterUsername)}` +
    `${xmlElement('DBName', instance.dbName)}${endpoint(instance, region)}${storage(instance)}` +
    `${xmlElement('InstanceCreateTime', isoSeconds(instance.createdAt))}${xmlElement('PreferredBackupWindow', '03:00-03:30')}` +
    `${xmlElement('BackupRetentionPeriod', 7)}${xmlElement('PreferredMaintenanceWindow', 'sun:05:00-sun:05:30')}` +
    `${networking(instance)}${xmlElement('AutoMinorVersionUpgrade', true)}${xmlElement('LicenseModel', 'postgresql-license')}` +
    `${xmlElement('DbiResourceId', instance.resourceId)}${xmlElement('DBInstanceArn', arn)}` +
    `${xmlElement('PerformanceInsightsEnabled', true)}${xmlElement('DeletionProtection', true)}` +
    `${xmlElement('CACertificateIdentifier', 'rds-ca-rsa2048-g1')}${tagList(instance.tags)}` +
    '</DBInstance>'
  );
}
