// Loopback credentials-URI server issuing rotating STS credentials whose Expiration follows a test clock.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StsServer {
  url: string;
  /** Number of requests served (any status). */
  readonly fetches: number;
  /** Answer 500 instead of credentials while true. */
  failing: boolean;
  /** Lifetime of each issued credential relative to the test clock. */
  lifetimeMs: number;
  /** Override the JSON body of the next answers (malformed-response tests). */
  body: ((n: number) => unknown) | undefined;
  close(): Promise<void>;
}

export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export async function startStsServer(now: () => number): Promise<StsServer> {
  let fetches = 0;
  const state = { failing: false, lifetimeMs: 3_600_000, body: undefined as ((n: number) => unknown) | undefined };
  const server: Server = createServer((req, res) => {
    fetches++;
    const n = fetches;
    // A short delay makes concurrent callers really overlap with the fetch.
    setTimeout(() => {
      if (state.failing) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ Code: 'InternalError', Message: 'try later' }));
        return;
      }
      const payload = state.body?.(n) ?? {
        Code: 'Success',
        AccessKeyId: `STS.key-${n}`,
        AccessKeySecret: `uri-secret-${n}`,
        SecurityToken: `uri-token-${n}`,
        Expiration: isoSeconds(now() + state.lifetimeMs),
        LastUpdated: isoSeconds(now()),
      };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    }, 15);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/credentials?token=path-secret`,
    get fetches() {
      return fetches;
    },
    get failing() {
      return state.failing;
    },
    set failing(v: boolean) {
      state.failing = v;
    },
    get lifetimeMs() {
      return state.lifetimeMs;
    },
    set lifetimeMs(v: number) {
      state.lifetimeMs = v;
    },
    get body() {
      return state.body;
    },
    set body(v: ((n: number) => unknown) | undefined) {
      state.body = v;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** A settable clock starting at a fixed instant. */
export function testClock(start = Date.UTC(2025, 0, 13, 8, 30, 0)): { now: () => number; advance(ms: number): void; t: number } {
  const c = {
    t: start,
    now: () => c.t,
    advance(ms: number) {
      c.t += ms;
    },
  };
  return c;
}
