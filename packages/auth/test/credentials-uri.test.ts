// CredentialProviderAccount over ALIBABA_CLOUD_CREDENTIALS_URI against a real loopback STS server.

import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CredentialProviderAccount, CredentialsError, type SignableRequest } from '../src/index.js';
import { startStsServer, testClock, type StsServer } from './helpers/sts-server.js';

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
