// CredentialProviderAccount over ALIBABA_CLOUD_CREDENTIALS_URI against a real loopback STS server.

import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CredentialProviderAccount, CredentialsError, type SignableRequest } from '../src/index.js';
import { flood, startRawServer, type Flood, type Handler } from './helpers/raw-server.js';
import { isoSeconds, startStsServer, testClock, type StsServer } from './helpers/sts-server.js';

const EP = 'http://service.cn-hangzhou.maxcompute.aliyun.com/api';
const DATE = 'Mon, 13 Jan 2025 08:30:00 GMT';
const request: SignableRequest = { method: 'GET', url: `${EP}/projects/p/tables`, headers: { Date: DATE } };
const STS = `GET\n\n\n${DATE}\n/projects/p/tables`;
const MIN = 60_000;

function expected(n: number): Record<string, string> {
  const sig = createHmac('sha1', `uri-secret-${n}`).update(STS).digest('base64');
  return { Authorization: `ODPS STS.key-${n}:${sig}`, 'authorization-sts-token': `uri-token-${n}` };
}

describe('credentials URI source', () => {
  let server: StsServer;
  let clock: ReturnType<typeof testClock>;
  const accountFor = (extra: Record<string, unknown> = {}) =>
    new CredentialProviderAccount(undefined, {
      env: { ALIBABA_CLOUD_CREDENTIALS_URI: server.url },
      credentialsFile: '/nonexistent/odps-ts-test/credentials',
      libraryChain: false,
      now: clock.now,
      ...extra,
    });

  beforeEach(async () => {
    clock = testClock();
    server = await startStsServer(clock.now);
  });
  afterEach(async () => {
    await server.close();
  });

  it('100 concurrent authorize() calls make exactly one fetch and all use one snapshot', async () => {
    const account = accountFor();
    const all = await Promise.all(Array.from({ length: 100 }, () => account.authorize(request, { endpoint: EP })));
    expect(server.fetches).toBe(1);
    for (const h of all) expect(h).toEqual(expected(1));
    expect(account.describe()).toBe('CredentialProviderAccount(credentials-uri)');
  });

  it('refreshes 15 minutes before a long-lived token expires, not earlier', async () => {
    const account = accountFor();
    expect(await account.authorize(request, { endpoint: EP })).toEqual(expected(1));
    clock.advance(44 * MIN);
    expect(await account.authorize(request, { endpoint: EP })).toEqual(expected(1));
    expect(server.fetches).toBe(1);
    clock.advance(2 * MIN); // 14 min left < 15 min window
    expect(await account.authorize(request, { endpoint: EP })).toEqual(expected(2));
    expect(server.fetches).toBe(2);
  });

  it('a short-lived token is used until a third of its life remains, then refreshed before use', async () => {
    server.lifetimeMs = 60_000;
    const account = accountFor();
    expect(await account.authorize(request, { endpoint: EP })).toEqual(expected(1));
    clock.advance(39_000);
    expect(await account.authorize(request, { endpoint: EP })).toEqual(expected(1));
    expect(server.fetches).toBe(1);
    clock.advance(2_000); // 19 s left < 20 s (a third)
    expect(await account.authorize(request, { endpoint: EP })).toEqual(expected(2));
  });

  it('a failing refresh keeps serving a still-valid token, backs off, and throws once it expired', async () => {
    const account = accountFor({ retryBackoffMs: 1_000 });
    expect(await account.authorize(request, { endpoint: EP })).toEqual(expected(1));
    clock.advance(50 * MIN); // refresh due (10 min left)
    server.failing = true;
    expect(await account.authorize(request, { endpoint: EP })).toEqual(expected(1));
    expect(server.fetches).toBe(2);
    // Inside the backoff window: no new fetch per call.
    await Promise.all(Array.from({ length: 10 }, () => account.authorize(request, { endpoint: EP })));
    expect(server.fetches).toBe(2);
    clock.advance(1_500);
    expect(await account.authorize(request, { endpoint: EP })).toEqual(expected(1));
    expect(server.fetches).toBe(3);
    clock.advance(11 * MIN); // past expiration
    const err = await account.authorize(request, { endpoint: EP }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CredentialsError);
    expect((err as CredentialsError).code).toBe('CredentialsFetchFailed');
    expect((err as Error).message).toMatch(/HTTP 500/);
    expect((err as Error).message).not.toMatch(/uri-secret|uri-token|path-secret/);
    // Recovery: the next call fetches again and succeeds.
    server.failing = false;
    const fetchesBefore = server.fetches;
    const h = await account.authorize(request, { endpoint: EP });
    expect(server.fetches).toBe(fetchesBefore + 1);
    expect(h).toEqual(expected(server.fetches));
  });

  it('the first fetch failing is not cached: the next call retries the chain', async () => {
    server.failing = true;
    const account = accountFor();
    await expect(account.authorize(request, { endpoint: EP })).rejects.toMatchObject({ code: 'CredentialsFetchFailed' });
    server.failing = false;
    expect(await account.authorize(request, { endpoint: EP })).toEqual(expected(2));
  });

  it('invalidate() forces a refetch on the next call', async () => {
    const account = accountFor();
    expect(await account.authorize(request, { endpoint: EP })).toEqual(expected(1));
    expect(await account.authorize(request, { endpoint: EP })).toEqual(expected(1));
    account.invalidate();
    expect(await account.authorize(request, { endpoint: EP })).toEqual(expected(2));
    expect(server.fetches).toBe(2);
  });

  it('rejects malformed answers without quoting secrets', async () => {
    server.body = () => ({ Code: 'Success', AccessKeyId: 'STS.k', AccessKeySecret: 'leaked-secret-1', Expiration: '2030-01-01T00:00:00Z' });
    const account = accountFor();
    const e1 = (await account.authorize(request, { endpoint: EP }).catch((e: unknown) => e)) as CredentialsError;
    expect(e1.code).toBe('CredentialsFetchFailed');
    expect(e1.message).toMatch(/'SecurityToken'/);
    expect(e1.message).not.toMatch(/leaked-secret-1|path-secret/);
    server.body = () => ({ Code: 'Forbidden', AccessKeyId: 'STS.k', AccessKeySecret: 'leaked-secret-2', SecurityToken: 't' });
    const e2 = (await account.authorize(request, { endpoint: EP }).catch((e: unknown) => e)) as CredentialsError;
    expect(e2.message).toMatch(/Code Forbidden/);
    expect(e2.message).not.toMatch(/leaked-secret-2/);
    server.body = () => ({ Code: 'Success', AccessKeyId: 'STS.k', AccessKeySecret: 'leaked-secret-3', SecurityToken: 't', Expiration: 'soon' });
    const e3 = (await account.authorize(request, { endpoint: EP }).catch((e: unknown) => e)) as CredentialsError;
    expect(e3.message).toMatch(/Expiration/);
    expect(e3.message).not.toMatch(/leaked-secret-3|soon/);
  });

  it('reads ALIBABA_CLOUD_CREDENTIALS_URI from process.env at call time (restored afterwards)', async () => {
    const saved = { uri: process.env['ALIBABA_CLOUD_CREDENTIALS_URI'], id: process.env['ALIBABA_CLOUD_ACCESS_KEY_ID'], secret: process.env['ALIBABA_CLOUD_ACCESS_KEY_SECRET'] };
    try {
      delete process.env['ALIBABA_CLOUD_ACCESS_KEY_ID'];
      delete process.env['ALIBABA_CLOUD_ACCESS_KEY_SECRET'];
      const account = new CredentialProviderAccount(undefined, { credentialsFile: '/nonexistent/odps-ts-test/credentials', libraryChain: false, now: clock.now });
      process.env['ALIBABA_CLOUD_CREDENTIALS_URI'] = server.url;
      expect(await account.authorize(request, { endpoint: EP })).toEqual(expected(1));
    } finally {
      for (const [k, v] of [['ALIBABA_CLOUD_CREDENTIALS_URI', saved.uri], ['ALIBABA_CLOUD_ACCESS_KEY_ID', saved.id], ['ALIBABA_CLOUD_ACCESS_KEY_SECRET', saved.secret]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it('an unreachable URI fails with a CredentialsError naming only the origin', async () => {
    const old = server;
    const port = new URL(old.url).port;
    server = await startStsServer(clock.now); // started first so it cannot take the freed port
    await old.close();
    const account = new CredentialProviderAccount(undefined, {
      env: { ALIBABA_CLOUD_CREDENTIALS_URI: `http://127.0.0.1:${port}/creds?token=path-secret` },
      credentialsFile: '/nonexistent/odps-ts-test/credentials',
      libraryChain: false,
      now: clock.now,
    });
    const err = (await account.authorize(request, { endpoint: EP }).catch((e: unknown) => e)) as CredentialsError;
    expect(err).toBeInstanceOf(CredentialsError);
    expect(err.message).toContain(`http://127.0.0.1:${port}`);
    expect(err.message).not.toContain('path-secret');
    expect(err.attempts.map((a) => a.source)).toEqual(['environment', 'credentials-uri']);
  });
});

describe('credentials URI source against hostile servers', () => {
  let clock: ReturnType<typeof testClock>;
  const servers: { close(): Promise<void> }[] = [];
  const accountAt = (uri: string, extra: Record<string, unknown> = {}) =>
    new CredentialProviderAccount(undefined, {
      env: { ALIBABA_CLOUD_CREDENTIALS_URI: uri },
      credentialsFile: '/nonexistent/odps-ts-test/credentials',
      libraryChain: false,
      now: clock.now,
      ...extra,
    });
  const failureOf = async (account: CredentialProviderAccount): Promise<CredentialsError> => {
    const e = await account.authorize(request, { endpoint: EP }).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(CredentialsError);
    return e as CredentialsError;
  };
  const raw = async (handler: Handler) => {
    const s = await startRawServer(handler);
    servers.push(s);
    return s;
  };
  const sts = async () => {
    const s = await startStsServer(clock.now);
    servers.push(s);
    return s;
  };
  const good = (extra: Record<string, unknown> = {}) => ({
    Code: 'Success', AccessKeyId: 'STS.k', AccessKeySecret: 'hostile-secret-value', SecurityToken: 'hostile-token-value', Expiration: '2025-01-13T09:30:00Z', ...extra,
  });

  beforeEach(() => {
    clock = testClock();
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  for (const contentLength of [false, true]) {
    it(`a 32 MB answer (${contentLength ? 'declared' : 'chunked'}) is refused and the body is not read to the end`, async () => {
      let f: Flood | undefined;
      const s = await raw((_req, res) => {
        f = flood(res, 32 * 1024 * 1024, contentLength);
      });
      const e = await failureOf(accountAt(s.url));
      expect(e.code).toBe('CredentialsFetchFailed');
      expect(e.message).toMatch(/larger than 65536 bytes/);
      await s.settled();
      expect(f!.finished).toBe(false);
      // Kernel socket buffers take a few MB; the rest was never sent because the client hung up.
      expect(f!.written).toBeLessThan(32 * 1024 * 1024);
    });
  }

  it('an answer of exactly 64 KiB is read; one byte more is refused', async () => {
    let size = 64 * 1024;
    const s = await raw((_req, res) => {
      const json = JSON.stringify(good());
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(json + ' '.repeat(size - Buffer.byteLength(json)));
    });
    expect((await accountAt(s.url).getCredentials()).accessKeyId).toBe('STS.k');
    size += 1;
    expect((await failureOf(accountAt(s.url))).message).toMatch(/larger than 65536 bytes/);
  });

  for (const status of [301, 302, 303, 307, 308]) {
    it(`an HTTP ${status} redirect is not followed`, async () => {
      const target = await sts();
      const s = await raw((_req, res) => {
        res.writeHead(status, { location: target.url });
        res.end();
      });
      const e = await failureOf(accountAt(s.url));
      expect(e.code).toBe('CredentialsFetchFailed');
      expect(e.message).toMatch(new RegExp(`redirect \\(HTTP ${status}\\) refused`));
      expect(e.message).not.toContain('path-secret');
      expect(target.fetches).toBe(0);
    });
  }

  it('already-expired credentials are refused (CredentialsExpired) and repeated signing does not hammer the URI', async () => {
    const s = await sts();
    s.body = () => good({ Expiration: isoSeconds(clock.t - MIN) });
    const account = accountAt(s.url, { retryBackoffMs: 1_000 });
    const e = await failureOf(account);
    expect(e.code).toBe('CredentialsExpired');
    expect(e.message).toMatch(/credentials-uri returned credentials that expired at 2025-01-13T08:29:00\.000Z/);
    expect(e.message).not.toMatch(/hostile-secret-value|hostile-token-value/);
    for (let i = 0; i < 50; i++) expect((await failureOf(account)).code).toBe('CredentialsExpired');
    expect(s.fetches).toBe(1);
    // Backoff doubles: 1 s, 2 s, 4 s ...
    clock.advance(1_000);
    await failureOf(account);
    await failureOf(account);
    expect(s.fetches).toBe(2);
    clock.advance(1_999);
    await failureOf(account);
    expect(s.fetches).toBe(2);
    clock.advance(1);
    await failureOf(account);
    expect(s.fetches).toBe(3);
    // The source recovers: after the backoff the fresh credentials are used.
    s.body = undefined;
    clock.advance(4_000);
    expect(await account.authorize(request, { endpoint: EP })).toEqual(expected(4));
    expect(s.fetches).toBe(4);
  });

  const hostileCodes: [string, unknown][] = [
    ['the secret itself', 'hostile-secret-value'],
    ['base64-looking key', 'sk/AbCdEf+GhIjKl=='],
    ['ANSI escape', '\u001b[31mDenied\u001b[0m'],
    ['CR LF injection', 'Denied\r\nX-Injected: 1'],
    ['10 000 characters', 'A'.repeat(10_000)],
    ['spaces and quotes', 'a "quoted" code'],
    ['non-string', { nested: 'hostile-secret-value' }],
  ];
  for (const [what, code] of hostileCodes) {
    for (const status of [200, 403]) {
      it(`a server Code that is ${what} (HTTP ${status}) is not quoted`, async () => {
        const s = await raw((_req, res) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(good({ Code: code })));
        });
        const e = await failureOf(accountAt(s.url));
        expect(e.code).toBe('CredentialsFetchFailed');
        expect(e.message).toContain('Code <redacted>');
        for (const bad of ['hostile-secret-value', 'sk/AbCdEf', '\u001b', '\r', '\n', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'quoted']) {
          expect(e.message).not.toContain(bad);
        }
      });
    }
  }

  it('a plain error Code is still named', async () => {
    const s = await raw((_req, res) => {
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ Code: 'Forbidden.RAM', Message: 'hostile-secret-value' }));
    });
    const e = await failureOf(accountAt(s.url));
    expect(e.message).toMatch(/HTTP 403 \(Code Forbidden\.RAM\)/);
    expect(e.message).not.toContain('hostile-secret-value');
  });

  const badBodies: [string, string, RegExp][] = [
    ['HTML', '<html>hostile-secret-value</html>', /not a JSON object/],
    ['a JSON array', JSON.stringify([good()]), /not a JSON object/],
    ['JSON null', 'null', /not a JSON object/],
    ['a JSON string', JSON.stringify('hostile-secret-value'), /not a JSON object/],
    ['truncated JSON', JSON.stringify(good()).slice(0, 60), /not a JSON object/],
    ['a numeric AccessKeyId', JSON.stringify(good({ AccessKeyId: 42 })), /no 'AccessKeyId'/],
    ['an object SecurityToken', JSON.stringify(good({ SecurityToken: { v: 'hostile-token-value' } })), /no 'SecurityToken'/],
    ['no AccessKeySecret', JSON.stringify(good({ AccessKeySecret: undefined })), /no 'AccessKeySecret'/],
    ['an empty AccessKeyId', JSON.stringify(good({ AccessKeyId: '' })), /no 'AccessKeyId'/],
    ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('latin1'), /not a JSON object/],
  ];
  for (const [what, body, why] of badBodies) {
    it(`${what} is a typed error that does not quote the body`, async () => {
      const s = await raw((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(Buffer.from(body, 'latin1'));
      });
      const e = await failureOf(accountAt(s.url));
      expect(e.code).toBe('CredentialsFetchFailed');
      expect(e.message).toMatch(why);
      expect(e.message).not.toMatch(/hostile-secret-value|hostile-token-value|path-secret/);
    });
  }

  it('a server that never answers, or stalls mid-body, fails with a timeout', async () => {
    const silent = await raw(() => undefined);
    const e1 = await failureOf(accountAt(silent.url, { fetchTimeoutMs: 150 }));
    expect(e1.message).toMatch(/timed out after 150 ms/);
    const stalled = await raw((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"Code":"Success","AccessKeySecret":"hostile-secret-value"');
    });
    const e2 = await failureOf(accountAt(stalled.url, { fetchTimeoutMs: 150 }));
    expect(e2.code).toBe('CredentialsFetchFailed');
    expect(e2.message).toMatch(/timed out after 150 ms/);
    expect(e2.message).not.toContain('hostile-secret-value');
  });

  const accepted: [string, unknown, number][] = [
    ['ISO with Z', '2030-01-01T00:00:00Z', Date.UTC(2030, 0, 1)],
    ['ISO with milliseconds', '2030-01-01T00:00:00.250Z', Date.UTC(2030, 0, 1) + 250],
    ['ISO with nanoseconds', '2030-01-01T00:00:00.123456789Z', Date.UTC(2030, 0, 1) + 123],
    ['ISO with an offset', '2030-01-01T08:00:00+08:00', Date.UTC(2030, 0, 1)],
    ['ISO without a zone (UTC)', '2030-01-01T00:00:00', Date.UTC(2030, 0, 1)],
    ['space-separated without a zone (UTC)', '2030-01-01 00:00:00', Date.UTC(2030, 0, 1)],
    ['an HTTP date', 'Tue, 01 Jan 2030 00:00:00 GMT', Date.UTC(2030, 0, 1)],
    ['epoch seconds', Date.UTC(2030, 0, 1) / 1000, Date.UTC(2030, 0, 1)],
    ['epoch milliseconds as text', String(Date.UTC(2030, 0, 1)), Date.UTC(2030, 0, 1)],
  ];
  for (const [what, value, ms] of accepted) {
    it(`Expiration as ${what} is understood`, async () => {
      const s = await sts();
      s.body = () => good({ Expiration: value });
      expect((await accountAt(s.url).getCredentials()).expiration?.getTime()).toBe(ms);
    });
  }

  const refused: [string, unknown][] = [
    ['free text', 'next tuesday'],
    ['a month and day only', 'March 7'],
    ['an impossible date', '2030-02-30T00:00:00Z'],
    ['an impossible time', '2030-01-01T25:61:00Z'],
    ['beyond the Date range (number)', 1e300],
    ['beyond the Date range (text)', '99999999999999999999'],
    ['beyond the Date range (ISO)', '+275760-09-13T00:00:01Z'],
    ['a boolean', true],
    ['an object', { at: '2030-01-01T00:00:00Z' }],
    ['an ANSI-laden string', '\u001b[2J2030-01-01T00:00:00Z'],
  ];
  for (const [what, value] of refused) {
    it(`Expiration as ${what} is refused without quoting it`, async () => {
      const s = await sts();
      s.body = () => good({ Expiration: value });
      const e = await failureOf(accountAt(s.url));
      expect(e.code).toBe('CredentialsFetchFailed');
      expect(e.message).toMatch(new RegExp(`^credentials URI http://127\\.0\\.0\\.1:\\d+: field 'Expiration' is not a valid expiration time \\[`));
      if (typeof value === 'string') expect(e.message).not.toContain(value);
      expect(e.message).not.toContain('\u001b');
    });
  }
});
