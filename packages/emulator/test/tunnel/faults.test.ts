import { signRequest } from '@odps-ts/auth';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { RecordStreamDecoder, type Column } from '@odps-ts/odps-client';
import type { Emulator } from '../../src/index.js';
import { startTunnelEmulator, tunnel } from './helpers.js';

const WIDE = '/projects/demo/tables/wide';
const ROWS = 4000;
const COLS: Column[] = [
  { name: 'id', type: 'bigint' },
  { name: 'text', type: 'string' },
];

/** Reads a body until it ends or breaks; returns the bytes that arrived and whether it broke. */
async function readUntilBroken(emu: Emulator, pathAndQuery: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; bytes: Buffer; broken: boolean }> {
  const url = `${emu.tunnelEndpoint}${pathAndQuery}`;
  const h: Record<string, string> = { Date: new Date().toUTCString(), 'x-odps-tunnel-version': '6', ...headers };
  Object.assign(h, signRequest({ method: 'GET', url, headers: h }, { accessKeyId: emu.accessKeyId, accessKeySecret: emu.accessKeySecret }, { endpoint: emu.tunnelEndpoint }));
  const res = await request(url, { headers: h });
  const parts: Buffer[] = [];
  let broken = false;
  try {
    for await (const chunk of res.body) parts.push(chunk as Buffer);
  } catch {
    broken = true;
  }
  return { status: res.statusCode, headers: res.headers, bytes: Buffer.concat(parts), broken };
}

describe('tunnel faults', () => {
  let emu: Emulator;
  const debug: string[] = [];
  let downloadId = '';
  beforeAll(async () => {
    emu = await startTunnelEmulator({ logger: { debug: (m: string) => void debug.push(m) } });
    await emu.engine.execute('demo', 'CREATE TABLE wide (id BIGINT, text STRING)');
    const rows: unknown[][] = [];
    for (let i = 0; i < ROWS; i++) rows.push([BigInt(i), `row ${i} `.repeat(30)]);
    await emu.engine.writeRows('demo', 'wide', rows, {});
    const s = await tunnel(emu, 'POST', `${WIDE}?downloads`);
    downloadId = s.json<{ DownloadID: string }>().DownloadID;
  }, 60_000);
  beforeEach(() => {
    emu.faults.clear();
  });
  afterAll(async () => {
    await emu.close();
  });

  it('streams a large body chunked (no Content-Length) and completely without faults', async () => {
    const res = await readUntilBroken(emu, `${WIDE}?data&downloadid=${downloadId}&rowrange=(0,${ROWS})`);
    expect(res.broken).toBe(false);
    expect(res.headers['content-length']).toBeUndefined();
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(res.bytes.length).toBeGreaterThan(1_000_000);
    const d = new RecordStreamDecoder(COLS);
    expect([...d.push(res.bytes), ...d.end()]).toHaveLength(ROWS);
  });

  it('cuts a data GET after N body bytes; the server stops encoding', async () => {
    emu.faults.add({ method: 'GET', path: '/tables/wide', resetAfterBytes: 100_000, count: 1 });
    const before = debug.filter((m) => m === 'tunnel download cut short').length;
    const res = await readUntilBroken(emu, `${WIDE}?data&downloadid=${downloadId}&rowrange=(0,${ROWS})`);
    expect(res.status).toBe(200);
    expect(res.broken).toBe(true);
    expect(res.bytes.length).toBeLessThanOrEqual(100_000);
    const d = new RecordStreamDecoder(COLS);
    const rows = d.push(res.bytes);
    expect(rows.length).toBeGreaterThan(0);
    expect(() => d.end()).toThrow(/truncated/);
    for (let i = 0; i < 50 && debug.filter((m) => m === 'tunnel download cut short').length === before; i++) await new Promise((r) => setTimeout(r, 20));
    expect(debug.filter((m) => m === 'tunnel download cut short').length).toBe(before + 1);
    // The next read (a client resuming from its cursor) succeeds.
    const resume = await readUntilBroken(emu, `${WIDE}?data&downloadid=${downloadId}&rowrange=(${rows.length},${ROWS - rows.length})`);
    const d2 = new RecordStreamDecoder(COLS);
    const rest = [...d2.push(resume.bytes), ...d2.end()];
    expect(rest[0]![0]).toBe(BigInt(rows.length));
    expect(rows.length + rest.length).toBe(ROWS);
  });

  it('cuts a deflated Arrow body too', async () => {
    emu.faults.add({ method: 'GET', path: '/tables/wide', resetAfterBytes: 5_000, count: 1 });
    const res = await readUntilBroken(emu, `${WIDE}?data&arrow&downloadid=${downloadId}&rowrange=(0,${ROWS})`, { 'Accept-Encoding': 'deflate' });
    expect(res.broken).toBe(true);
    expect(res.bytes.length).toBeLessThanOrEqual(5_000);
  });

  it('answers injected 5xx as tunnel JSON', async () => {
    emu.faults.add({ path: '/tables/wide', status: 503, count: 1 });
    const res = await tunnel(emu, 'GET', `${WIDE}?downloadid=${downloadId}`);
    expect(res.status).toBe(503);
    expect(res.json()).toMatchObject({ Code: 'ServiceUnavailable' });
    expect((await tunnel(emu, 'GET', `${WIDE}?downloadid=${downloadId}`)).status).toBe(200);
  });

  it('rejects expired STS credentials on tunnel requests', async () => {
    const creds = (await (await request(`${emu.tunnelEndpoint}/credentials`)).body.json()) as { AccessKeyId: string; AccessKeySecret: string; SecurityToken: string };
    const send = async () => {
      const url = `${emu.tunnelEndpoint}${WIDE}?downloadid=${downloadId}`;
      const h: Record<string, string> = { Date: new Date().toUTCString(), 'x-odps-tunnel-version': '6' };
      Object.assign(h, signRequest({ method: 'GET', url, headers: h }, { accessKeyId: creds.AccessKeyId, accessKeySecret: creds.AccessKeySecret, securityToken: creds.SecurityToken }, { endpoint: emu.tunnelEndpoint }));
      const res = await request(url, { headers: h });
      return { status: res.statusCode, body: (await res.body.json()) as { Code: string } };
    };
    expect((await send()).status).toBe(200);
    emu.faults.expireSts();
    const expired = await send();
    expect(expired.status).toBe(401);
    expect(expired.body.Code).toBe('AuthenticationRequestExpired');
  });
});
