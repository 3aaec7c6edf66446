// Shapes shared by the transport, the resources and the tunnel (contracts §3).
import type { Readable } from 'node:stream';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';

export interface RequestSpec {
  method: HttpMethod;
  /** Which endpoint; default 'rest'. */
  service?: 'rest' | 'tunnel';
  /** Explicit base URL (e.g. a quota-specific tunnel endpoint); overrides `service`'s endpoint. */
  endpoint?: string;
  /** Logical segments, e.g. ['projects', p, 'tables', t]; each is percent-encoded by the transport. */
  path: string[] | string;
  /** null = bare key (`?downloads`), undefined = omitted. `curr_project` is added automatically. */
  query?: Record<string, string | null | undefined>;
  headers?: Record<string, string>;
  /** Async iterables are streamed and make the request non-retryable. */
  body?: string | Uint8Array | AsyncIterable<Uint8Array>;
  /** Default: GET/HEAD/PUT/DELETE true, POST false. POSTs that the server de-duplicates may set true. */
  idempotent?: boolean;
  signal?: AbortSignal;
  /** Statuses that count as success; default any 2xx. */
  expectStatus?: number[];
  /** Retry 409 + Retry-After (instance creation queue full), bounded by `retry.conflictMaxWaitMs`. */
  retryOnConflict?: boolean;
  /** Do not add `curr_project` (e.g. calls outside any project). */
  noCurrProject?: boolean;
}

export interface HttpResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  requestId?: string;
  /** Caller must consume it (or call dump()). */
  body: Readable;
  text(options?: { maxBytes?: number }): Promise<string>;
  bytes(options?: { maxBytes?: number }): Promise<Uint8Array>;
  json<T>(): Promise<T>;
  dump(): Promise<void>;
}
