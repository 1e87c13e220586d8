// The demo's log groups (named by the catalog's logGroupPattern) and what they say:
// INFO lines all week, and during the incident ERROR lines — JSON payloads from the
// Lambda and ECS services, PostgreSQL FATALs, API Gateway 502s.

import { catalog } from '../../src/core/catalog';
import type { LineContext, LogProfile } from './logsGenerator';

const iso = (t: number): string => new Date(t).toISOString();
const dayStamp = (day: number): string =>
  iso(day * 86_400_000)
    .slice(0, 10)
    .replace(/-/g, '/');

function lambdaStreams(fn: string, perDay: number): (day: number) => string[] {
  return (day) => Array.from({ length: perDay }, (_, i) => `${dayStamp(day)}/[$LATEST]${hexOf(`${fn}${day}${i}`)}`);
}

function hexOf(text: string): string {
  let out = '';
  for (let round = 0; out.length < 32; round += 1) {
    let h = 0x811c9dc5 ^ round;
    for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    out += (h >>> 0).toString(16).padStart(8, '0');
  }
  return out;
}

function requestId(c: LineContext): string {
  const h = c.hex(1, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function lambdaInvocation(c: LineContext, app: object, durationMs: number): string[] {
  const id = requestId(c);
  return [
    `START RequestId: ${id} Version: $LATEST`,
    JSON.stringify({ timestamp: iso(c.t), requestId: id, ...app }),
    `END RequestId: ${id}`,
    `REPORT RequestId: ${id}\tDuration: ${durationMs.toFixed(2)} ms\tBilled Duration: ${Math.ceil(durationMs)} ms\tMemory Size: 512 MB\tMax Memory Used: ${80 + (c.pick(5) % 60)} MB`,
  ];
}

const checkoutHandler: LogProfile = {
  streams: lambdaStreams('checkout-handler', 3),
  everyMinutes: 10,
  normal: (c) =>
    lambdaInvocation(
      c,
      {
        level: 'INFO',
        message: 'order checked out',
        orderId: `ord-${100000 + (c.pick(2) % 900000)}`,
        items: 1 + (c.pick(3) % 6),
        durationMs: 120 + (c.pick(4) % 140),
      },
      140 + (c.pick(4) % 140),
    ),
  incidentEverySeconds: 40,
  incident: (c) =>
    lambdaInvocation(
      c,
      {
        level: 'ERROR',
        message: 'Checkout failed: could not acquire a database connection',
        error: { name: 'TimeoutError', message: 'Connection terminated due to connection timeout' },
        db: 'orders-db',
        orderId: `ord-${100000 + (c.pick(2) % 900000)}`,
        durationMs: 5000 + (c.pick(4) % 900),
      },
      5000 + (c.pick(4) % 900),
    ),
};

const imageResizer: LogProfile = {
  streams: lambdaStreams('image-resizer', 2),
  everyMinutes: 20,
  normal: (c) =>
    lambdaInvocation(
      c,
      { level: 'INFO', message: 'resized image', key: `uploads/${c.hex(2, 12)}.jpg`, widths: [320, 640, 1280] },
      700 + (c.pick(4) % 500),
    ),
};

const nightlyReport: LogProfile = {
  streams: lambdaStreams('nightly-report', 1),
  everyMinutes: 2,
  activeMinutes: [120, 130],
  normal: (c) =>
    lambdaInvocation(
      c,
      {
        level: 'INFO',
        message: 'report section written',
        section: ['sales', 'refunds', 'inventory', 'returns', 'summary'][c.pick(2) % 5],
      },
      38_000 + (c.pick(4) % 9000),
    ),
};

function postgres(db: string, incident: boolean): LogProfile {
  const prefix = (c: LineContext): string =>
    `${iso(c.t).replace('T', ' ').slice(0, 19)} UTC:10.0.2.${10 + (c.pick(6) % 40)}(${40000 + (c.pick(7) % 20000)}):app@${db.replace('-db', '')}:[${20000 + (c.pick(8) % 9000)}]:`;
  return {
    streams: () => [`${db}.0`],
    everyMinutes: 15,
    normal: (c) => [
      c.pick(2) % 3 === 0
        ? `${prefix(c)}LOG:  duration: ${(200 + (c.pick(3) % 900)).toFixed(3)} ms  statement: SELECT id, status FROM orders WHERE customer_id = $1`
        : `${prefix(c)}LOG:  checkpoint complete: wrote ${300 + (c.pick(3) % 900)} buffers (0.${c.pick(4) % 9}%); 0 WAL file(s) added`,
    ],
    ...(incident
      ? {
          incidentEverySeconds: 30,
          incident: (c: LineContext) => [
            c.pick(2) % 2 === 0
              ? `${prefix(c)}FATAL:  remaining connection slots are reserved for non-replication superuser connections`
              : `${prefix(c)}ERROR:  canceling statement due to statement timeout`,
          ],
        }
      : {}),
  };
}

function ec2(instance: string): LogProfile {
  return {
    streams: () => ['messages', 'app.log'],
    everyMinutes: 20,
    normal: (c) => [
      c.pick(2) % 2 === 0
        ? `${iso(c.t)} ip-10-0-1-${c.pick(3) % 200} systemd[1]: Started Session ${c.pick(4) % 9000} of user ec2-user.`
        : `${iso(c.t)} INFO app[2231]: GET /healthcheck 200 ${1 + (c.pick(5) % 4)}ms instance=${instance}`,
    ],
  };
}

const ecsProd: LogProfile = {
  streams: (day) =>
    ['web', 'worker'].flatMap((svc) => [0, 1].map((i) => `${svc}/${svc}/${hexOf(`${svc}${i}${Math.floor(day / 3)}`)}`)),
  everyMinutes: 10,
  normal: (c) => [
    JSON.stringify({
      level: 'INFO',
      time: iso(c.t),
      method: 'GET',
      path: ['/api/cart', '/api/orders', '/healthcheck'][c.pick(2) % 3],
      status: 200,
      latencyMs: 8 + (c.pick(3) % 60),
    }),
  ],
  incidentEverySeconds: 45,
  incident: (c) => [
    JSON.stringify({
      level: 'ERROR',
      time: iso(c.t),
      method: 'POST',
      path: '/api/checkout',
      status: 502,
      latencyMs: 5000 + (c.pick(3) % 1000),
      msg: 'upstream checkout-handler failed',
      upstream: 'checkout-handler',
    }),
  ],
};

const ordersApi: LogProfile = {
  streams: (day) => [hexOf(`orders-api${day}a`), hexOf(`orders-api${day}b`)],
  everyMinutes: 15,
  normal: (c) => [`(${requestId(c)}) Method completed with status: 200`],
  incidentEverySeconds: 60,
  incident: (c) => [`(${requestId(c)}) Execution failed due to an internal error; Method completed with status: 502`],
};

/** The demo's log groups: name → profile, names from the catalog's logGroupPattern. */
export function getDemoLogProfiles(): Map<string, LogProfile> {
  const name = (service: 'ec2' | 'rds' | 'lambda' | 'ecs' | 'apigateway', resource: string): string =>
    catalog[service].logGroupPattern!.replace('{resource}', resource);
  return new Map<string, LogProfile>([
    [name('lambda', 'checkout-handler'), checkoutHandler],
    [name('lambda', 'image-resizer'), imageResizer],
    [name('lambda', 'nightly-report'), nightlyReport],
    [name('rds', 'orders-db'), postgres('orders-db', true)],
    [name('rds', 'users-db'), postgres('users-db', false)],
    [name('ec2', 'i-0a1b2c3d4e5f60001'), ec2('i-0a1b2c3d4e5f60001')],
    [name('ec2', 'i-0a1b2c3d4e5f60002'), ec2('i-0a1b2c3d4e5f60002')],
    [name('ec2', 'i-0a1b2c3d4e5f60003'), ec2('i-0a1b2c3d4e5f60003')],
    [name('ecs', 'prod'), ecsProd],
    [name('apigateway', 'orders-api'), ordersApi],
  ]);
}
