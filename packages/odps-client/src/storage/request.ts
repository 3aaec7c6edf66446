// Paths and signed requests of the Storage API v1 (`{tunnel endpoint}/api/storage/v1/...`, tunnel.md §9.1).
import { createHash } from 'node:crypto';
import type { HttpResponse, RequestSpec } from '../http/types.js';
import type { Transport } from '../http/transport.js';

export interface StorageTable {
  project: string;
  schema: string;
  table: string;
  quotaName?: string;
}

/** `api/storage/v1/projects/{p}/schemas/{s}/tables/{t}/...`: the Storage API always names the schema (`default` if none). */
export function storagePath(t: StorageTable, ...rest: string[]): string[] {
  return ['api', 'storage', 'v1', 'projects', t.project, 'schemas', t.schema, 'tables', t.table, ...rest];
}

export interface StorageCall {
  method: 'GET' | 'POST';
  rest: string[];
  query: Record<string, string | undefined>;
  json?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  idempotent?: boolean;
}

/** One request on the tunnel endpoint; JSON bodies carry `Content-MD5` as hex MD5 (PyODPS `create_read_session`). */
export function storageRequest(transport: Transport, t: StorageTable, call: StorageCall): Promise<HttpResponse> {
  const headers: Record<string, string> = { ...call.headers };
  const spec: RequestSpec = { method: call.method, service: 'tunnel', path: storagePath(t, ...call.rest), headers };
  const query: Record<string, string | undefined> = { ...call.query };
  if (t.quotaName) query['quotaName'] = t.quotaName;
  spec.query = query;
  if (call.json !== undefined) {
    const body = JSON.stringify(call.json);
    headers['Content-Type'] = 'application/json';
    headers['Content-MD5'] = createHash('md5').update(body).digest('hex');
    spec.body = body;
  }
  if (call.signal) spec.signal = call.signal;
  if (call.idempotent !== undefined) spec.idempotent = call.idempotent;
  return transport.request(spec);
}
