import diagnostics_channel from 'node:diagnostics_channel';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthError, NetworkError, NoSuchObjectError, OdpsError, ThrottledError } from '../../src/errors.js';
import { Transport } from '../../src/http/transport.js';
import { ENDPOINT, errorXml, FakeAccount, mockAgent, ORIGIN, XML } from './fakes.js';

const FAST = { baseDelayMs: 1, maxDelayMs: 5 };

function setup(opts: { invalidate?: boolean } = {}) {
  const agent = mockAgent();
  const account = new FakeAccount(opts.invalidate ?? true);
  const transport = new Transport({ account, endpoint: ENDPOINT, project: 'p1', dispatcher: agent, retry: FAST, userAgent: 'odps-ts-test' });
  return { agent, account, transport, pool: agent.get(ORIGIN) };
}

describe('Transport', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });

  it('sends curr_project, user agents, Date and the signature; encodes per RFC 3986', async () => {
    const { pool, account, transport, agent } = setup();
    cleanup = () => agent.close();
    let seenPath = '';
    let seenHeaders: Record<string, string> = {};
    pool.intercept({ path: (p) => p.startsWith('/api/projects/p1/tables/'), method: 'GET' }).reply((o) => {
      seenPath = o.path;
      seenHeaders = o.headers as Record<string, string>;
      return { statusCode: 200, data: '<Table/>', responseOptions: XML };
    });
    const res = await transport.request({ method: 'GET', path: ['projects', 'p1', 'tables', 'a b+c/销'], query: { partition: "ds='a b+c'", bare: null, gone: undefined } });
    expect(await res.text()).toBe('<Table/>');
    expect(seenPath).toBe("/api/projects/p1/tables/a%20b%2Bc%2F%E9%94%80?curr_project=p1&partition=ds%3D%27a%20b%2Bc%27&bare");
    expect(seenHeaders['x-odps-user-agent']).toBe('odps-ts-test');
    expect(seenHeaders['User-Agent'] ?? seenHeaders['user-agent']).toBe('odps-ts-test');
    expect(seenHeaders['Date']).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    expect(seenHeaders['Authorization']).toBe('ODPS fake:1');
    expect(account.calls[0]!.request.url).toBe(`${ORIGIN}${seenPath}`);
    expect(account.calls[0]!.options.endpoint).toBe(ENDPOINT);
  });

  it('retries a GET on 503 then succeeds, re-signing every attempt', async () => {
    const { pool, account, transport, agent } = setup();
    cleanup = () => agent.close();
    pool.intercept({ path: /\/api\/projects\/p1/, method: 'GET' }).reply(503, errorXml('ServiceUnavailable', 'busy'), XML);
    pool.intercept({ path: /\/api\/projects\/p1/, method: 'GET' }).reply(200, '<Project/>', XML);
    const retries: unknown[] = [];
    const onRetry = (m: unknown) => retries.push(m);
    diagnostics_channel.subscribe('odps-ts:request:retry', onRetry);
    try {
      const res = await transport.request({ method: 'GET', path: ['projects', 'p1'] });
      await res.dump();
    } finally {
      diagnostics_channel.unsubscribe('odps-ts:request:retry', onRetry);
    }
    expect(account.calls).toHaveLength(2);
    expect(retries).toHaveLength(1);
    expect(JSON.stringify(retries)).not.toContain('secret-token');
    expect(retries[0]).toMatchObject({ method: 'GET', path: '/projects/p1', attempt: 1, status: 503 });
  });

  it('does not retry a POST without a Guid (not idempotent) on 503', async () => {
    const { pool, account, transport, agent } = setup();
    cleanup = () => agent.close();
    pool.intercept({ path: /instances/, method: 'POST' }).reply(503, errorXml('ServiceUnavailable', 'busy'), XML);
    await expect(transport.request({ method: 'POST', path: ['projects', 'p1', 'instances'], body: '<x/>' })).rejects.toMatchObject({ status: 503, code: 'ServiceUnavailable' });
    expect(account.calls).toHaveLength(1);
  });

  it('retries an idempotent POST (with Guid) and connection refusals', async () => {
    const { pool, account, transport, agent } = setup();
    cleanup = () => agent.close();
    pool.intercept({ path: /instances/, method: 'POST' }).replyWithError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }));
    pool.intercept({ path: /instances/, method: 'POST' }).reply(502, '<html><body>nginx bad gateway</body></html>', { headers: { 'content-type': 'text/html' } });
    pool.intercept({ path: /instances/, method: 'POST' }).reply(201, '', { headers: { location: `${ENDPOINT}/projects/p1/instances/i1` } });
    const res = await transport.request({ method: 'POST', path: ['projects', 'p1', 'instances'], body: '<x/>', idempotent: true });
    expect(res.status).toBe(201);
    await res.dump();
    expect(account.calls).toHaveLength(3);
  });

  it('retries 409 + Retry-After when asked (instance creation)', async () => {
    const { pool, transport, agent } = setup();
    cleanup = () => agent.close();
    pool.intercept({ path: /instances/, method: 'POST' }).reply(409, errorXml('Conflict', 'queue full'), { headers: { 'retry-after': '1' } });
    pool.intercept({ path: /instances/, method: 'POST' }).reply(201, '', { headers: { location: 'x/i2' } });
    const res = await transport.request({ method: 'POST', path: ['projects', 'p1', 'instances'], body: '<x/>', retryOnConflict: true });
    expect(res.status).toBe(201);
    await res.dump();
  });

  it('maps error bodies: XML, JSON, empty 404, empty 401, HTML 502', async () => {
    const { pool, transport, agent } = setup();
    cleanup = () => agent.close();
    const t = new Transport({ account: new FakeAccount(), endpoint: ENDPOINT, dispatcher: agent, retry: { maxAttempts: 1 }, userAgent: 'x' });
    void transport;
    pool.intercept({ path: /\/a/, method: 'GET' }).reply(404, errorXml('NoSuchObject', 'ODPS-0130131:Table not found - t'), XML);
    pool.intercept({ path: /\/b/, method: 'GET' }).reply(400, JSON.stringify({ Code: 'ODPS-0420411: Invalid argument - ', Message: 'bad thing', RequestId: 'j1' }), { headers: { 'content-type': 'application/json' } });
    pool.intercept({ path: /\/c/, method: 'GET' }).reply(404, '');
    pool.intercept({ path: /\/d/, method: 'GET' }).reply(401, '');
    pool.intercept({ path: /\/e/, method: 'GET' }).reply(502, '<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>', { headers: { 'content-type': 'text/html' } });
    pool.intercept({ path: /\/f/, method: 'GET' }).reply(429, errorXml('QPSExceeded', 'slow down'), { headers: { 'retry-after': '2' } });

    const a = await t.request({ method: 'GET', path: 'a' }).catch((e: unknown) => e);
    expect(a).toBeInstanceOf(NoSuchObjectError);
    expect(a).toMatchObject({ code: 'NoSuchObject', odpsCode: 'ODPS-0130131', status: 404, requestId: 'req-1', hostId: 'host-1', method: 'GET', path: '/a' });
    const b = await t.request({ method: 'GET', path: 'b' }).catch((e: unknown) => e);
    expect(b).toMatchObject({ code: 'ODPS-0420411', odpsCode: 'ODPS-0420411', serverMessage: 'bad thing', requestId: 'j1', status: 400 });
    expect(b).toBeInstanceOf(OdpsError);
    expect(await t.request({ method: 'GET', path: 'c' }).catch((e: unknown) => e)).toBeInstanceOf(NoSuchObjectError);
    expect(await t.request({ method: 'GET', path: 'd' }).catch((e: unknown) => e)).toBeInstanceOf(AuthError);
    const e = (await t.request({ method: 'GET', path: 'e' }).catch((x: unknown) => x)) as OdpsError;
    expect(e.code).toBe('BadGateway');
    expect(e.message).not.toContain('nginx');
    expect(e.message.length).toBeLessThan(200);
    const f = await t.request({ method: 'GET', path: 'f' }).catch((x: unknown) => x);
    expect(f).toBeInstanceOf(ThrottledError);
    expect(f).toMatchObject({ retryAfterMs: 2000 });
  });

  it('corrects clock skew from the server Date header and retries once', async () => {
    const { pool, account, transport, agent } = setup();
    cleanup = () => agent.close();
    const serverDate = new Date(Date.now() + 3600_000);
    pool.intercept({ path: /p1/, method: 'GET' }).reply(403, errorXml('RequestTimeTooSkewd', 'skewed'), { headers: { date: serverDate.toUTCString() } });
    pool.intercept({ path: /p1/, method: 'GET' }).reply(200, '<Project/>');
    await (await transport.request({ method: 'GET', path: ['projects', 'p1'] })).dump();
    expect(account.calls).toHaveLength(2);
    const d1 = Date.parse(account.calls[0]!.request.headers['Date']!);
    const d2 = Date.parse(account.calls[1]!.request.headers['Date']!);
    expect(d2 - d1).toBeGreaterThan(3500_000);
    expect(Math.abs(transport.clockOffsetMs - 3600_000)).toBeLessThan(5000);
    // a second skew answer is not retried again within the same request
    pool.intercept({ path: /p2/, method: 'GET' }).reply(403, errorXml('RequestTimeTooSkewd', 'skewed'), { headers: { date: new Date(Date.now() + 7200_000).toUTCString() } });
    pool.intercept({ path: /p2/, method: 'GET' }).reply(403, errorXml('RequestTimeTooSkewd', 'skewed'), { headers: { date: new Date().toUTCString() } });
    await expect(transport.request({ method: 'GET', path: ['projects', 'p2'] })).rejects.toBeInstanceOf(AuthError);
  });

  it('invalidates credentials and retries once on expired credentials', async () => {
    const { pool, account, transport, agent } = setup();
    cleanup = () => agent.close();
    pool.intercept({ path: /p1/, method: 'GET' }).reply(401, errorXml('SecurityTokenExpired', 'expired'), { headers: { date: new Date().toUTCString() } });
    pool.intercept({ path: /p1/, method: 'GET' }).reply(200, '<Project/>');
    await (await transport.request({ method: 'GET', path: ['projects', 'p1'] })).dump();
    expect(account.invalidations).toBe(1);
    expect(account.calls).toHaveLength(2);
    pool.intercept({ path: /p1/, method: 'GET' }).reply(401, errorXml('SecurityTokenExpired', 'expired'));
    pool.intercept({ path: /p1/, method: 'GET' }).reply(401, errorXml('SecurityTokenExpired', 'expired'));
    await expect(transport.request({ method: 'GET', path: ['projects', 'p1'] })).rejects.toBeInstanceOf(AuthError);
    expect(account.invalidations).toBe(2);
    expect(account.calls).toHaveLength(4);
  });

  it('never retries SignatureNotMatch', async () => {
    const { pool, account, transport, agent } = setup();
    cleanup = () => agent.close();
    pool.intercept({ path: /p1/, method: 'GET' }).reply(401, errorXml('SignatureNotMatch', 'ODPS-0410042:Invalid signature value'));
    await expect(transport.request({ method: 'GET', path: ['projects', 'p1'] })).rejects.toMatchObject({ code: 'SignatureNotMatch', odpsCode: 'ODPS-0410042' });
    expect(account.calls).toHaveLength(1);
  });

  it('wraps network failures of non-idempotent requests as NetworkError without retry', async () => {
    const { pool, account, transport, agent } = setup();
    cleanup = () => agent.close();
    pool.intercept({ path: /x/, method: 'POST' }).replyWithError(Object.assign(new Error('reset'), { code: 'ECONNRESET' }));
    await expect(transport.request({ method: 'POST', path: 'x', body: 'b' })).rejects.toBeInstanceOf(NetworkError);
    expect(account.calls).toHaveLength(1);
  });

  it('rejects promptly with the abort reason during a backoff wait', async () => {
    const agent = mockAgent();
    cleanup = () => agent.close();
    const transport = new Transport({ account: new FakeAccount(), endpoint: ENDPOINT, dispatcher: agent, retry: { baseDelayMs: 60_000, maxDelayMs: 60_000 }, userAgent: 'x' });
    agent.get(ORIGIN).intercept({ path: /x/, method: 'GET' }).reply(503, '');
    const ac = new AbortController();
    const p = transport.request({ method: 'GET', path: 'x', signal: ac.signal });
    setTimeout(() => ac.abort(), 20);
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('Transport with a real @odps-ts/auth account', () => {
  it('signs the canonical resource with curr_project, decoded once', async () => {
    const { AliyunAccount, canonicalResource, stringToSign } = await import('@odps-ts/auth');
    const agent = mockAgent();
    let seen: { path: string; headers: Record<string, string> } = { path: '', headers: {} };
    agent.get(ORIGIN).intercept({ path: () => true, method: 'GET' }).reply((o) => {
      seen = { path: o.path, headers: o.headers as Record<string, string> };
      return { statusCode: 200, data: '' };
    });
    const t = new Transport({ account: new AliyunAccount('ak', 'sk'), endpoint: ENDPOINT, project: 'p1', dispatcher: agent, userAgent: 'ua' });
    await (await t.request({ method: 'GET', path: ['projects', 'p1', 'tables', '销 售'], query: { expectmarker: 'true', marker: 'a+b' } })).dump();
    const req = { method: 'GET', url: ORIGIN + seen.path, headers: seen.headers };
    expect(canonicalResource(req, ENDPOINT)).toBe('/projects/p1/tables/销 售?curr_project=p1&expectmarker=true&marker=a+b');
    expect(stringToSign(req, { endpoint: ENDPOINT })).toContain('\nx-odps-user-agent:ua\n/projects/p1/tables/');
    expect(seen.headers['Authorization']).toMatch(/^ODPS ak:[A-Za-z0-9+/]{27}=$/);
    await agent.close();
  });
});
