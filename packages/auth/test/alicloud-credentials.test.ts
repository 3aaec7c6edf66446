// Adapting @alicloud/credentials clients and providers, custom providers, and the library-chain fallback.

import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import credentialsModule, { Config, StaticSTSCredentialsProvider, URICredentialsProvider } from '@alicloud/credentials';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CredentialProviderAccount, CredentialsError, type SignableRequest } from '../src/index.js';
import { isoSeconds, startStsServer, testClock } from './helpers/sts-server.js';

// CommonJS with exports.default: under plain Node ESM the class sits one `.default` down
// (nodejs-credentials#140), while vitest's interop already unwraps it. Accept both.
type CredentialClass = typeof credentialsModule.default;
const Credential: CredentialClass =
  typeof credentialsModule === 'function' ? (credentialsModule as unknown as CredentialClass) : credentialsModule.default;

const EP = 'http://service.cn-hangzhou.maxcompute.aliyun.com/api';
const DATE = 'Mon, 13 Jan 2025 08:30:00 GMT';
const request: SignableRequest = { method: 'GET', url: `${EP}/projects/p`, headers: { Date: DATE, 'x-odps-user-agent': 'ua' } };
const STS = `GET\n\n\n${DATE}\nx-odps-user-agent:ua\n/projects/p`;

function expected(id: string, secret: string, token?: string): Record<string, string> {
  const h: Record<string, string> = { Authorization: `ODPS ${id}:${createHmac('sha1', secret).update(STS).digest('base64')}` };
  if (token) h['authorization-sts-token'] = token;
  return h;
}

describe('@alicloud/credentials adaptation', () => {
  it('a Credential client of type access_key', async () => {
    const client = new Credential(new Config({ type: 'access_key', accessKeyId: 'lib-ak', accessKeySecret: 'lib-sk' }));
    const account = new CredentialProviderAccount(client);
    expect(await account.authorize(request, { endpoint: EP })).toEqual(expected('lib-ak', 'lib-sk'));
  });

  it('a Credential client of type sts adds the token header', async () => {
    const client = new Credential(new Config({ type: 'sts', accessKeyId: 'STS.lib', accessKeySecret: 'lib-sts-sk', securityToken: 'lib-token' }));
    const account = new CredentialProviderAccount(client, { region: 'cn-hangzhou' });
    expect(await account.authorize(request, { endpoint: EP })).toEqual(expected('STS.lib', 'lib-sts-sk', 'lib-token'));
    // Account defaults apply when the call does not say otherwise.
    const v4 = new CredentialProviderAccount(client, { region: 'cn-hangzhou', signatureVersion: 'v4' });
    expect((await v4.authorize(request, { endpoint: EP }))['Authorization']).toMatch(/^ODPS STS\.lib\/20250113\/cn-hangzhou\/odps\/aliyun_v4_request:/);
  });

  it('a library provider (getCredentials) such as StaticSTSCredentialsProvider', async () => {
    const provider = StaticSTSCredentialsProvider.builder()
      .withAccessKeyId('STS.static')
      .withAccessKeySecret('static-sk')
      .withSecurityToken('static-token')
      .build();
    const account = new CredentialProviderAccount(provider);
    expect(await account.authorize(request, { endpoint: EP })).toEqual(expected('STS.static', 'static-sk', 'static-token'));
    expect(account.describe()).toBe('CredentialProviderAccount(provider(static_sts))');
  });

  it("the library's URICredentialsProvider against a loopback server (Node http)", async () => {
    const server = await startStsServer(Date.now);
    try {
      const provider = URICredentialsProvider.builder().withCredentialsURI(server.url).build();
      const account = new CredentialProviderAccount(provider);
      expect(await account.authorize(request, { endpoint: EP })).toEqual(expected('STS.key-1', 'uri-secret-1', 'uri-token-1'));
      // The library caches its session; we ask it each time, and it does not refetch.
      await account.authorize(request, { endpoint: EP });
      expect(server.fetches).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('getter-style credentials (getAccessKeyId(), async getters)', async () => {
    const account = new CredentialProviderAccount({
      getCredentials: async () => ({ getAccessKeyId: () => 'g-ak', getAccessKeySecret: async () => 'g-sk', getSecurityToken: () => 'g-token' }),
    });
    expect(await account.authorize(request, { endpoint: EP })).toEqual(expected('g-ak', 'g-sk', 'g-token'));
  });

  it('a provider without expiration is asked on every use (it rotates internally)', async () => {
    let n = 0;
    const account = new CredentialProviderAccount({ getCredential: async () => ({ accessKeyId: `rot-${++n}`, accessKeySecret: 'sk' }) });
    expect(await account.authorize(request, { endpoint: EP })).toEqual(expected('rot-1', 'sk'));
    expect(await account.authorize(request, { endpoint: EP })).toEqual(expected('rot-2', 'sk'));
  });

  it('an async function with an ISO expiration is memoized: 100 concurrent calls, one provider call', async () => {
    const clock = testClock();
    let calls = 0;
    const account = new CredentialProviderAccount(
      async () => {
        calls++;
        await new Promise((r) => setTimeout(r, 10));
        return { accessKeyId: `fn-${calls}`, accessKeySecret: 'fn-sk', securityToken: 'fn-token', expiration: isoSeconds(clock.t + 3_600_000) };
      },
      { now: clock.now },
    );
    const all = await Promise.all(Array.from({ length: 100 }, () => account.authorize(request, { endpoint: EP })));
    expect(calls).toBe(1);
    for (const h of all) expect(h).toEqual(expected('fn-1', 'fn-sk', 'fn-token'));
    clock.advance(46 * 60_000);
    expect(await account.authorize(request, { endpoint: EP })).toEqual(expected('fn-2', 'fn-sk', 'fn-token'));
  });

  it('provider errors become CredentialsError without the secrets they quote', async () => {
    const account = new CredentialProviderAccount(async () => {
      throw new Error('bad answer {"AccessKeyId":"ak","AccessKeySecret":"leaky-secret","SecurityToken":"leaky-token"} token=leaky-2');
    });
    const e = (await account.authorize(request, { endpoint: EP }).catch((x: unknown) => x)) as CredentialsError;
    expect(e).toBeInstanceOf(CredentialsError);
    expect(e.code).toBe('CredentialsFetchFailed');
    expect(e.message).toMatch(/bad answer/);
    expect(e.message).not.toMatch(/leaky/);
  });

  it('a provider returning no key id, or a bearer token, is an InvalidCredentials error', async () => {
    const a = new CredentialProviderAccount(async () => ({ accessKeySecret: 'only-secret' }));
    const e = (await a.authorize(request, { endpoint: EP }).catch((x: unknown) => x)) as CredentialsError;
    expect(e.code).toBe('InvalidCredentials');
    expect(e.message).toMatch(/accessKeyId/);
    expect(e.message).not.toContain('only-secret');
    const bearer = new Credential(new Config({ type: 'bearer', bearerToken: 'bt-secret' }));
    const e2 = (await new CredentialProviderAccount(bearer).authorize(request, { endpoint: EP }).catch((x: unknown) => x)) as CredentialsError;
    expect(e2).toBeInstanceOf(CredentialsError);
    expect(e2.message).not.toContain('bt-secret');
  });

  it('rejects a provider that is neither a function nor has getCredential(s)', () => {
    expect(() => new CredentialProviderAccount({} as never)).toThrow(TypeError);
  });
});

describe("fallback to the library's default chain", () => {
  const keys = ['ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'ALIBABA_CLOUD_SECURITY_TOKEN', 'ALIBABA_CLOUD_CREDENTIALS_URI', 'ALIBABA_CLOUD_CREDENTIALS_FILE', 'ALIBABA_CLOUD_ROLE_ARN', 'HOME'];
  const saved: Record<string, string | undefined> = {};
  let home: string;

  beforeEach(async () => {
    for (const k of keys) saved[k] = process.env[k];
    home = await mkdtemp(join(tmpdir(), 'odps-ts-home-'));
    // The library's profile provider reads ~/.alibabacloud/credentials: point it at an empty temp home.
    process.env['HOME'] = home;
    process.env['ALIBABA_CLOUD_CREDENTIALS_FILE'] = join(home, 'no-such-profile');
    for (const k of keys.slice(0, 4)) delete process.env[k];
    delete process.env['ALIBABA_CLOUD_ROLE_ARN'];
  });
  afterEach(async () => {
    for (const k of keys) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    await rm(home, { recursive: true, force: true });
  });

  it('uses the library chain after our own sources, and a failure there does not poison later calls', async () => {
    // Our sources see an empty environment; the library reads process.env.
    const account = new CredentialProviderAccount(undefined, { env: {}, credentialsFile: join(home, 'absent') });
    const e = (await account.authorize(request, { endpoint: EP }).catch((x: unknown) => x)) as CredentialsError;
    expect(e).toBeInstanceOf(CredentialsError);
    expect(e.code).toBe('CredentialsNotFound');
    expect(e.attempts.map((a) => a.source)).toEqual(['environment', 'credentials-uri', 'credentials-file', 'alibabacloud-default-chain']);
    // The library's own chain would now only retry its last provider; ours builds a fresh one.
    process.env['ALIBABA_CLOUD_ACCESS_KEY_ID'] = 'lib-env-ak';
    process.env['ALIBABA_CLOUD_ACCESS_KEY_SECRET'] = 'lib-env-sk';
    expect(await account.authorize(request, { endpoint: EP })).toEqual(expected('lib-env-ak', 'lib-env-sk'));
    expect(account.describe()).toBe('CredentialProviderAccount(alibabacloud-default-chain)');
  });
});
