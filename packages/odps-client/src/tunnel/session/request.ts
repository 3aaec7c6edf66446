// One tunnel HTTP call: endpoint resolution, the tunnel headers, quotaName, and TunnelError mapping.
import { OdpsError, TunnelError } from '../../errors.js';
import type { HttpResponse, RequestSpec } from '../../http/types.js';
import type { TunnelCommonOptions, TunnelContext } from './context.js';

/** Tunnel protocol version sent on every request: PyODPS and Java announce 6 (which also enables the metrics trailer). */
export const TUNNEL_VERSION = '6';

/** Where a tunnel session sends its requests: client context, project, resource path below the tunnel endpoint, shared options. */
export interface TunnelTarget {
  ctx: TunnelContext;
  project: string;
  /** Path below the tunnel endpoint, e.g. ['projects', p, 'tables', t]. */
  path: string[];
  common: TunnelCommonOptions;
}

export type TunnelRequest = Omit<RequestSpec, 'service' | 'endpoint' | 'path'> & { path?: string[] };

/** The endpoint for this target: explicit, discovered per project+quota, or the transport's default. */
async function endpointFor(t: TunnelTarget, signal: AbortSignal | undefined): Promise<string | undefined> {
  if (t.common.tunnelEndpoint) return t.common.tunnelEndpoint;
  if (typeof t.ctx.tunnelEndpoint !== 'function') return undefined;
  const opts: { project: string; quotaName?: string; signal?: AbortSignal } = { project: t.project };
  if (t.common.quotaName) opts.quotaName = t.common.quotaName;
  if (signal) opts.signal = signal;
  return t.ctx.tunnelEndpoint(opts);
}

/** Tunnel errors that are not one of the families users branch on become TunnelError (server code kept). */
export function asTunnelError(err: unknown): unknown {
  if (!(err instanceof OdpsError) || err.constructor !== OdpsError) return err;
  const init: { code: string; requestId?: string; status?: number; cause: unknown } = { code: err.code, cause: err };
  if (err.requestId !== undefined) init.requestId = err.requestId;
  if (err.status !== undefined) init.status = err.status;
  return new TunnelError(err.serverMessage, init);
}

export async function tunnelRequest(t: TunnelTarget, req: TunnelRequest): Promise<HttpResponse> {
  const signal = req.signal ?? t.common.signal;
  const headers: Record<string, string> = {
    'x-odps-tunnel-version': TUNNEL_VERSION,
    // Sent on every request as PyODPS does; DATETIME stays plain UTC epoch ms (tunnel.md §1.3).
    'odps-tunnel-date-transform': 'v1',
    ...req.headers,
  };
  if (t.common.tags && t.common.tags.length > 0) headers['odps-tunnel-tags'] = t.common.tags.join(',');
  const query = { ...req.query };
  if (t.common.quotaName) query['quotaName'] = t.common.quotaName;
  const spec: RequestSpec = { ...req, path: req.path ?? t.path, service: 'tunnel', headers, query };
  if (signal) spec.signal = signal;
  const endpoint = await endpointFor(t, signal);
  if (endpoint) spec.endpoint = endpoint;
  try {
    return await t.ctx.transport.request(spec);
  } catch (err) {
    throw asTunnelError(err);
  }
}

/** JSON answer of a tunnel call (session documents). */
export async function tunnelJson<T>(t: TunnelTarget, req: TunnelRequest): Promise<{ body: T; headers: Record<string, string> }> {
  const res = await tunnelRequest(t, req);
  const body = await res.json<T>();
  return { body, headers: res.headers };
}
