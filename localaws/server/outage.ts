// The outage switch (for the CloudWatch Logs sink tests and the demo): while a service is
// "down", every request to it fails before authentication, as a regional outage would,
// with the service's 5xx in its protocol's shape (ServiceUnavailableException for the
// JSON protocols). Whatever the service had stored before stays stored.
//
//   POST /_localaws/outage {"service":"logs","enabled":true,"status"?:503}
//   GET  /_localaws/outage   → { outages: { logs: 503 } }

import type { WireProtocol } from './routing';
import { AwsError } from './types';

export class OutageSwitch {
  private readonly down = new Map<string, number>();

  /** The HTTP status requests to `service` fail with, when it is down. */
  statusOf(service: string): number | undefined {
    return this.down.get(service);
  }

  set(service: string, enabled: boolean, status = 503): void {
    if (enabled) this.down.set(service, status);
    else this.down.delete(service);
  }

  list(): Record<string, number> {
    return Object.fromEntries(this.down);
  }
}

/** The failure a request to a service that is down gets, in its protocol's vocabulary. */
export function outageError(protocol: WireProtocol, service: string, status: number): AwsError {
  const message = `The ${service} service is unavailable (the local endpoint's outage switch is on). Please try again later.`;
  if (protocol.kind === 'json' || protocol.kind === 'rest-json')
    return new AwsError('ServiceUnavailableException', message, status, 'Receiver');
  if (protocol.kind === 'ec2') return new AwsError('Unavailable', message, status, 'Receiver');
  return new AwsError('ServiceUnavailable', message, status, 'Receiver');
}

export interface OutageRequest {
  service: string;
  enabled: boolean;
  status: number;
}

/** Validates the control API's body; a string is the problem, in words. */
export function parseOutageRequest(input: Record<string, unknown>): OutageRequest | string {
  const { service, enabled, status } = input;
  if (typeof service !== 'string' || service.length === 0)
    return 'outage needs {"service": "<SigV4 service name, e.g. logs>", "enabled": true|false, "status"?: 500-599}';
  if (enabled !== undefined && typeof enabled !== 'boolean') return '"enabled" must be true or false';
  if (status !== undefined && (typeof status !== 'number' || !Number.isInteger(status) || status < 500 || status > 599))
    return '"status" must be an HTTP status from 500 to 599';
  return { service, enabled: enabled !== false, status: (status as number | undefined) ?? 503 };
}
