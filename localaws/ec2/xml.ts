// EC2's query-protocol XML (2016-11-15): no Result wrapper, a lower-case `requestId`,
// lists as `<xxxSet><item>…</item></xxxSet>`, instances grouped by reservation.

import { xmlElement, xmlNamespaces } from '../server/protocol';
import { demoVpcId, stateCodes, type Ec2Instance } from './data';
import type { ServiceResponse } from '../server/types';

function isoMillis(ms: number): string {
  return new Date(ms).toISOString();
}

function tagSet(tags: Record<string, string>): string {
  return `<tagSet>${Object.entries(tags)
    .map(([k, v]) => `<item>${xmlElement('key', k)}${xmlElement('value', v)}</item>`)
    .join('')}</tagSet>`;
}

function dnsOf(ip: string): string {
  return `ip-${ip.replace(/\./g, '-')}.ec2.internal`;
}

function network(i: Ec2Instance): string {
  const publicDns = i.publicIp ? `ec2-${i.publicIp.replace(/\./g, '-')}.compute-1.amazonaws.com` : '';
  return (
    `${xmlElement('privateDnsName', dnsOf(i.privateIp))}${xmlElement('dnsName', publicDns)}` +
    `${xmlElement('subnetId', i.subnetId)}${xmlElement('vpcId', demoVpcId)}${xmlElement('privateIpAddress', i.privateIp)}` +
    `${xmlElement('ipAddress', i.publicIp)}` +
    `<groupSet><item>${xmlElement('groupId', i.securityGroup.id)}${xmlElement('groupName', i.securityGroup.name)}</item></groupSet>`
  );
}

export function ec2InstanceXml(i: Ec2Instance): string {
  return (
    '<item>' +
    `${xmlElement('instanceId', i.instanceId)}${xmlElement('imageId', i.imageId)}` +
    `<instanceState>${xmlElement('code', stateCodes[i.state])}${xmlElement('name', i.state)}</instanceState>` +
    `${xmlElement('reason', '')}${xmlElement('keyName', 'prod-ops')}${xmlElement('amiLaunchIndex', 0)}<productCodes/>` +
    `${xmlElement('instanceType', i.instanceType)}${xmlElement('launchTime', isoMillis(i.launchedAt))}` +
    `<placement>${xmlElement('availabilityZone', i.availabilityZone)}${xmlElement('groupName', '')}${xmlElement('tenancy', 'default')}</placement>` +
    `<monitoring>${xmlElement('state', 'enabled')}</monitoring>${network(i)}` +
    `${xmlElement('architecture', 'x86_64')}${xmlElement('rootDeviceType', 'ebs')}${xmlElement('rootDeviceName', '/dev/xvda')}` +
    `${xmlElement('virtualizationType', 'hvm')}${xmlElement('hypervisor', 'xen')}${xmlElement('ebsOptimized', true)}` +
    `${xmlElement('enaSupport', true)}${tagSet(i.tags)}${xmlElement('platformDetails', 'Linux/UNIX')}` +
    `<cpuOptions>${xmlElement('coreCount', i.instanceType.endsWith('xlarge') ? 2 : 1)}${xmlElement('threadsPerCore', 2)}</cpuOptions>` +
    `<metadataOptions>${xmlElement('state', 'applied')}${xmlElement('httpTokens', 'required')}${xmlElement('httpPutResponseHopLimit', 2)}</metadataOptions>` +
    '</item>'
  );
}

export function reservationXml(instances: readonly Ec2Instance[], ownerId: string): string {
  const first = instances[0] as Ec2Instance;
  return (
    `<item>${xmlElement('reservationId', first.reservationId)}${xmlElement('ownerId', ownerId)}<groupSet/>` +
    `<instancesSet>${instances.map(ec2InstanceXml).join('')}</instancesSet></item>`
  );
}

/** A successful EC2 reply: `<ActionResponse xmlns=…><requestId/>…</ActionResponse>`. */
export function ec2Response(action: string, innerXml: string, requestId: string): ServiceResponse {
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${xmlNamespaces.ec2}">` +
    `${xmlElement('requestId', requestId)}${innerXml}</${action}Response>`;
  return { status: 200, headers: { 'content-type': 'text/xml;charset=UTF-8', 'x-amzn-requestid': requestId }, body };
}
