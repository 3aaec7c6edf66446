import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { faultPresets, startEmulator, type Emulator } from '../../src/index.js';
import { call, fakeEngine, sqlJob, xmlText } from './helpers.js';

describe('emulator fault injection', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ engine: fakeEngine() });
  });
  beforeEach(() => {
    emu.faults.clear();
  });
  afterAll(async () => {
    await emu.close();
  });

  it('answers a counted 503 on matching paths only, then vanishes', async () => {
    emu.faults.set({ status: 503, count: 2, path: '/tables' });
    expect((await call(emu, 'GET', '/projects/demo')).status).toBe(200);
    const first = await call(emu, 'GET', '/projects/demo/tables');
    expect(first.status).toBe(503);
    expect(xmlText(first.text, 'Code')).toBe('ServiceUnavailable');
    expect(first.headers['x-odps-request-id']).toBeTruthy();
    expect((await call(emu, 'GET', '/projects/demo/tables/t01')).status).toBe(503);
    expect((await call(emu, 'GET', '/projects/demo/tables')).status).toBe(200);
    expect(emu.faults.list()).toEqual([]);
  });

  it('answers 500 by regex and method', async () => {
    emu.faults.add({ status: 500, pathRegex: /\/tables\/t0\d$/, method: 'GET', count: 1 });
    expect((await call(emu, 'GET', '/projects/demo/tables/sales')).status).toBe(200);
    const hit = await call(emu, 'GET', '/projects/demo/tables/t05');
    expect(hit.status).toBe(500);
    expect(xmlText(hit.text, 'Code')).toBe('InternalServerError');
  });

  it('answers 409 + Retry-After on instance creation', async () => {
    emu.faults.add(faultPresets.busyOnCreateInstance(1, 2));
    const busy = await call(emu, 'POST', '/projects/demo/instances', { body: sqlJob('select 1;') });
    expect(busy.status).toBe(409);
    expect(busy.headers['retry-after']).toBe('2');
    const ok = await call(emu, 'POST', '/projects/demo/instances', { body: sqlJob('select 1;') });
    expect(ok.status).toBe(201);
  });

  it('adds latency', async () => {
    emu.faults.add({ latencyMs: 300, path: '/projects/demo', count: 1 });
    const t0 = Date.now();
    expect((await call(emu, 'GET', '/projects/demo')).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
  });

  it('resets the connection after N body bytes', async () => {
    emu.faults.add({ resetAfterBytes: 50, path: '/tables', count: 1 });
    const { signRequest } = await import('@odps-ts/auth');
    const url = `${emu.endpoint}/projects/demo/tables`;
    const headers = { Date: new Date().toUTCString() };
    const auth = signRequest({ method: 'GET', url, headers }, { accessKeyId: emu.accessKeyId, accessKeySecret: emu.accessKeySecret }, { endpoint: emu.endpoint });
    const res = await request(url, { headers: { ...headers, ...auth } });
    expect(res.statusCode).toBe(200);
    const received: Buffer[] = [];
    await expect(
      (async () => {
        for await (const chunk of res.body) received.push(chunk as Buffer);
      })(),
    ).rejects.toThrow();
    expect(Buffer.concat(received).length).toBeLessThanOrEqual(50);
    // Next request is fine.
    expect((await call(emu, 'GET', '/projects/demo/tables')).status).toBe(200);
  });

  it('skews the server clock', async () => {
    emu.faults.set({ clockSkewMs: 60 * 60_000 });
    const res = await call(emu, 'GET', '/projects/demo');
    expect(res.status).toBe(400);
    expect(xmlText(res.text, 'Code')).toBe('RequestTimeTooSkewd');
    const serverDate = new Date(res.headers['date'] as string).getTime();
    expect(serverDate - Date.now()).toBeGreaterThan(59 * 60_000);
    // A client that adopts the server's clock gets through.
    expect((await call(emu, 'GET', '/projects/demo', { date: new Date(serverDate) })).status).toBe(200);
  });

  it('is controlled over HTTP at /_emulator/faults (root-signed, exempt from faults)', async () => {
    const set = await call(emu, 'POST', '/faults', {
      service: 'admin',
      body: JSON.stringify({ rules: [{ status: 503, count: 1, path: '/projects/demo' }], clockSkewMs: 3_600_000 }),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(set.status).toBe(200);
    expect(JSON.parse(set.text).rules).toHaveLength(1);
    expect(emu.faults.clockSkewMs).toBe(3_600_000);
    // Admin calls still work with the real clock despite the skew.
    const list = await call(emu, 'GET', '/faults', { service: 'admin' });
    expect(JSON.parse(list.text).rules[0]).toMatchObject({ status: 503, remaining: 1 });
    const cleared = await call(emu, 'DELETE', '/faults', { service: 'admin' });
    expect(JSON.parse(cleared.text)).toEqual({ rules: [], clockSkewMs: 0 });
    const unsigned = await request(`${emu.adminUrl}/faults`);
    expect(unsigned.statusCode).toBe(400);
    await unsigned.body.dump();
    const bad = await call(emu, 'POST', '/faults', { service: 'admin', body: JSON.stringify({ status: 200 }) });
    expect(bad.status).toBe(400);
  });

  it('expires STS credentials via the admin API', async () => {
    const c = (await (await request(emu.credentialsUri)).body.json()) as Record<string, string>;
    const creds = { accessKeyId: c['AccessKeyId'] as string, accessKeySecret: c['AccessKeySecret'] as string, securityToken: c['SecurityToken'] as string };
    expect((await call(emu, 'GET', '/projects/demo', { credentials: creds })).status).toBe(200);
    await call(emu, 'POST', '/faults', { service: 'admin', body: JSON.stringify({ expireSts: true }) });
    const res = await call(emu, 'GET', '/projects/demo', { credentials: creds });
    expect(res.status).toBe(401);
    expect(xmlText(res.text, 'Code')).toBe('AuthenticationRequestExpired');
  });

  it('resets instances, issued credentials and faults via /_emulator/reset', async () => {
    const created = await call(emu, 'POST', '/projects/demo/instances', { body: sqlJob('select 1;') });
    const id = (created.headers['location'] as string).split('/').pop() as string;
    const c = (await (await request(emu.credentialsUri)).body.json()) as Record<string, string>;
    const creds = { accessKeyId: c['AccessKeyId'] as string, accessKeySecret: c['AccessKeySecret'] as string, securityToken: c['SecurityToken'] as string };
    emu.faults.add({ latencyMs: 1, path: '/nothing' });
    const reset = await call(emu, 'POST', '/reset', { service: 'admin' });
    expect(reset.status).toBe(200);
    expect((await call(emu, 'GET', `/projects/demo/instances/${id}`)).status).toBe(404);
    expect((await call(emu, 'GET', '/projects/demo', { credentials: creds })).status).toBe(401);
    expect(emu.faults.list()).toEqual([]);
  });

  it('answers tunnel-space errors as JSON', async () => {
    emu.faults.add({ status: 503, count: 1, path: '/projects/demo/tables/t00' });
    const res = await call(emu, 'POST', '/projects/demo/tables/t00?downloads', { service: 'tunnel' });
    expect(res.status).toBe(503);
    expect(JSON.parse(res.text)).toMatchObject({ Code: 'ServiceUnavailable' });
  });
});
