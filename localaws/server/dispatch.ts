// One request through the endpoint: authenticate (SigV4), apply the test switches,
// gunzip, authorize the operation against the caller's policies, and hand it to the
// service handler; every failure leaves in the wire shape of the request's protocol.

import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { authenticate, AuthFailure, authError } from './auth';
import { accessDeniedMessage, authorizePrincipal, principalContext } from '../iam/evaluation';
import { outageError, type OutageSwitch } from './outage';
import {
  accessDeniedError,
  detectProtocol,
  iamPrefix,
  isJson,
  operationOf,
  renderError,
  throttlingError,
  type WireProtocol,
} from './routing';
import { s3AuthError } from '../s3/wire';
import { parseAuthorization, type SignedRequest } from './sigv4';
import type { LocalAwsState } from './state';
import { AwsError, type CallContext, type Principal, type ServiceHandler, type ServiceResponse } from './types';

export interface DispatchTarget {
  state: LocalAwsState;
  now(): number;
  services: Map<string, ServiceHandler>;
  /** Handlers that call ctx.authorize themselves: no automatic check for them. */
  selfAuthorizing: WeakSet<ServiceHandler>;
  /** Check `<prefix>:<Operation>` for every call before its handler runs (default on). */
  autoAuthorize: boolean;
  /** Services switched "down" (control API /_localaws/outage). */
  outages?: OutageSwitch;
  onError?(message: string): void;
}

function makeAuthorize(
  principal: Principal,
  protocol: WireProtocol,
  service: string,
  region: string,
  now: number,
): CallContext['authorize'] {
  return (action: string, resource?: string) => {
    const fullAction = action.includes(':') ? action : `${iamPrefix(service)}:${action}`;
    const result = authorizePrincipal(principal, fullAction, resource ?? '*', principalContext(principal, region, now));
    if (!result.allowed)
      throw accessDeniedError(protocol, accessDeniedMessage(principal.arn, fullAction, resource, result.reason));
  };
}

function decodeBody(body: Buffer, headers: Record<string, string>): Buffer {
  const encoding = (headers['content-encoding'] ?? '').toLowerCase();
  if (!encoding.includes('gzip')) return body;
  try {
    return gunzipSync(body);
  } catch {
    throw new AwsError('SerializationException', 'Content-Encoding is gzip but the body is not valid gzip data');
  }
}

async function serve(
  target: DispatchTarget,
  req: SignedRequest,
  protocol: WireProtocol,
  requestId: string,
): Promise<ServiceResponse> {
  const now = target.now();
  const { auth, record } = await authenticate(req, target.state, now);
  if (target.state.throttledServices.has(auth.service)) throw throttlingError(protocol);
  const handler = target.services.get(auth.service);
  if (!handler)
    throw new AwsError('InvalidAction', `The local AWS endpoint does not serve the '${auth.service}' service`);
  const body = decodeBody(req.body, req.headers);
  const ctx: CallContext = {
    principal: record.principal,
    now,
    region: auth.region,
    requestId,
    authorize: makeAuthorize(record.principal, protocol, auth.service, auth.region, now),
  };
  const operation = auth.service === 'sts' ? undefined : operationOf(protocol, req.headers, body, req.query);
  if (target.autoAuthorize && operation && !target.selfAuthorizing.has(handler)) ctx.authorize(operation);
  return handler(
    {
      service: auth.service,
      region: auth.region,
      method: req.method,
      path: req.rawPath,
      query: req.query,
      headers: req.headers,
      body,
      requestId,
    },
    ctx,
  );
}

export async function dispatch(target: DispatchTarget, req: SignedRequest): Promise<ServiceResponse> {
  const requestId = randomUUID();
  const service = parseAuthorization(req.headers.authorization)?.service;
  const protocol = detectProtocol(service, req.headers);
  try {
    // An outage fails requests before anything else, as an unreachable region would.
    const outageStatus = service === undefined ? undefined : target.outages?.statusOf(service);
    if (outageStatus !== undefined) throw outageError(protocol, service ?? '', outageStatus);
    const response = await serve(target, req, protocol, requestId);
    response.headers['x-amzn-requestid'] ??= requestId;
    return response;
  } catch (error) {
    if (error instanceof AuthFailure) {
      return renderError(
        protocol.kind === 'rest-xml' ? s3AuthError(error) : authError(error, isJson(protocol)),
        protocol,
        requestId,
      );
    }
    if (error instanceof AwsError) return renderError(error, protocol, requestId);
    target.onError?.(`request ${requestId} failed: ${error instanceof Error ? error.message : String(error)}`);
    return renderError(
      new AwsError(
        'InternalFailure',
        'The request processing has failed because of an unknown error.',
        500,
        'Receiver',
      ),
      protocol,
      requestId,
    );
  }
}
