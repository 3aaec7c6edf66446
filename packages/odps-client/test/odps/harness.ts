// Builds an ODPS client on a MockAgent and offers a small router over decoded paths and queries.
import type { MockAgent } from 'undici';
import { ODPS } from '../../src/odps.js';
import type { OdpsOptions } from '../../src/config.js';
import { ENDPOINT, FakeAccount, mockAgent, ORIGIN } from '../http/fakes.js';

export interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  rawPath: string;
  headers: Record<string, string>;
  body: string;
}

export interface Reply {
  status?: number;
  body?: string;
  headers?: Record<string, string>;
}

export function harness(extra: Partial<OdpsOptions> = {}) {
  const agent: MockAgent = mockAgent();
  const account = new FakeAccount();
  const odps = new ODPS({ account, project: 'p1', endpoint: ENDPOINT, dispatcher: agent, retry: { baseDelayMs: 1, maxDelayMs: 5 }, ...extra });
  const pool = agent.get(ORIGIN);
  const seen: Seen[] = [];
  /** Reply to requests matching method + decoded pathname (+ optional query predicate); `times` defaults to 1. */
  function on(method: string, pathname: string, reply: Reply | ((s: Seen) => Reply), opts: { when?: (q: URLSearchParams) => boolean; times?: number; persist?: boolean } = {}) {
    const scope = pool
      .intercept({
        method,
        path: (p) => {
          const u = new URL(p, ORIGIN);
          return decodeURIComponent(u.pathname) === `/api${pathname}` && (!opts.when || opts.when(u.searchParams));
        },
      })
      .reply((o) => {
        const u = new URL(o.path, ORIGIN);
        const s: Seen = {
          method: o.method, path: decodeURIComponent(u.pathname).slice(4), query: u.searchParams, rawPath: o.path,
          headers: o.headers as Record<string, string>, body: typeof o.body === 'string' ? o.body : o.body ? Buffer.from(o.body as Uint8Array).toString('utf8') : '',
        };
        seen.push(s);
        const r = typeof reply === 'function' ? reply(s) : reply;
        return { statusCode: r.status ?? 200, data: r.body ?? '', responseOptions: { headers: { 'content-type': 'application/xml', 'x-odps-request-id': 'rid', ...r.headers } } };
      });
    if (opts.persist) scope.persist();
    else if (opts.times) scope.times(opts.times);
  }
  return { odps, agent, account, pool, seen, on, close: () => agent.close() };
}

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
