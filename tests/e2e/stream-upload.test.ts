// End-to-end: table.openStreamWriter against the emulator's stream sessions (flushes, slots, lost answers, bad input).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { signRequest } from '@odps-ts/auth';
import type { ODPS } from '@odps-ts/odps-client';
import { StreamFlushUncertainError, ValueTypeError } from '@odps-ts/odps-client';
import type { Emulator } from '@odps-ts/emulator';
import { requestLogger, startEmulatorClient, type EmulatorClient, type LoggedRequest } from '../support/emulator-client.js';

const PUT_PATH = /^\/projects\/[^/]+\/(schemas\/[^/]+\/)?tables\/[^/]+\/streams\?/;

describe('stream upload against the emulator', () => {
  let emu: Emulator;
  let odps: ODPS;
  let env: EmulatorClient | undefined;
  const seen: LoggedRequest[] = [];
  const puts = (table: string): number => seen.filter((r) => r.method === 'PUT' && PUT_PATH.test(r.path) && r.path.includes(`/tables/${table}/`)).length;
  const reloads = (): number => seen.filter((r) => r.method === 'GET' && r.path.includes('/streams?')).length;
  const count = (table: string, partition?: Record<string, string>): Promise<number> =>
    emu.engine.countRows(emu.project, table, partition ? { partition } : {});
  const ids = async (table: string): Promise<bigint[]> => {
    const out: bigint[] = [];
    for await (const r of await (await odps.tables.get(table)).openReader({ columns: ['id'] })) out.push(r[0] as bigint);
    return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  };
  const range = (n: number, from = 0): bigint[] => Array.from({ length: n }, (_, i) => BigInt(from + i));

  /** Emulator control: move every open stream session to `slots` slots on new servers. */
  async function rebalance(slots: number): Promise<void> {
    const url = `${emu.adminUrl}/streams/slots?count=${slots}`;
    const headers: Record<string, string> = { Date: new Date().toUTCString() };
    Object.assign(headers, signRequest({ method: 'POST', url, headers }, { accessKeyId: emu.accessKeyId, accessKeySecret: emu.accessKeySecret }, {
      endpoint: emu.tunnelEndpoint, signatureVersion: 'v2',
    }));
    const res = await request(url, { method: 'POST', headers });
    expect(res.statusCode).toBe(200);
    await res.body.dump();
  }

  beforeAll(async () => {
    env = await startEmulatorClient({ logger: requestLogger(seen), clientOptions: { retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 } } });
    ({ emu, odps } = env);
    for (const t of ['st_plain', 'st_time', 'st_slots', 'st_kill', 'st_bad']) {
      await odps.tables.create(t, { columns: [{ name: 'id', type: 'bigint' }, { name: 'name', type: 'string' }] });
    }
    await odps.tables.create('st_part', { columns: [{ name: 'id', type: 'bigint' }], partitionColumns: [{ name: 'ds', type: 'string' }] });
  });
  beforeEach(() => emu.faults.clear());
  afterAll(async () => {
    await env?.close();
  });

  it('rows are visible after each flush, with no commit step', async () => {
    const writer = await (await odps.tables.get('st_plain')).openStreamWriter({ flushRows: 100 });
    await writer.write(range(250).map((i) => [i, `n${i}`]));
    // Two full batches went out on their own; 50 rows are still buffered.
    expect(await count('st_plain')).toBe(200);
    await writer.flush();
    expect(await count('st_plain')).toBe(250);
    await writer.write({ id: 250n, name: 'obj' });
    await writer.close();
    expect(await ids('st_plain')).toEqual(range(251));
    expect(puts('st_plain')).toBe(4);
    await expect(writer.write([1n, 'late'])).rejects.toMatchObject({ code: 'WriterClosed' });
  });

  it('flushes a batch on its own after flushIntervalMs', async () => {
    const writer = await (await odps.tables.get('st_time')).openStreamWriter({ flushIntervalMs: 20 });
    await writer.write([[1n, 'a'], [2n, 'b'], [3n, 'c']]);
    for (let i = 0; i < 200 && (await count('st_time')) < 3; i++) await new Promise((r) => setTimeout(r, 10));
    expect(await count('st_time')).toBe(3);
    expect(writer.flushedCount).toBe(3);
    await writer.close();
    expect(puts('st_time')).toBe(1);
  });

  it('writes into a partition, creating it when asked, and refuses a missing one otherwise', async () => {
    const table = await odps.tables.get('st_part');
    await expect(table.openStreamWriter({ partition: { ds: 'a' } })).rejects.toMatchObject({ code: 'NoSuchPartition' });
    const writer = await table.openStreamWriter({ partition: { ds: 'a' }, createPartition: true });
    await writer.write(range(10).map((i) => [i]));
    await writer.close();
    expect(await count('st_part', { ds: 'a' })).toBe(10);
    expect(await table.partitions.exists({ ds: 'a' })).toBe(true);
  });

  it('follows slot changes: a new slot count reloads the routes, a vanished slot is retried on the new ones', async () => {
    const writer = await (await odps.tables.get('st_slots')).openStreamWriter({ slotNum: 2, flushRows: 10 });
    expect(writer.session.slots.map((s) => s.id)).toEqual(['0', '1']);
    await writer.write(range(10).map((i) => [i, 'x']));
    const reloads0 = reloads();
    await rebalance(3);
    // The answer announces 3 slots: the client reloads and takes the new routes.
    await writer.write(range(10, 10).map((i) => [i, 'x']));
    expect(reloads()).toBeGreaterThan(reloads0);
    expect(writer.session.slots.length).toBe(3);
    const servers = writer.session.slots.map((s) => s.server);
    // Down to one slot: the slots the client would pick next no longer exist (SlotNotExist) until it reloads.
    await rebalance(1);
    for (let k = 2; k < 6; k++) await writer.write(range(10, k * 10).map((i) => [i, 'x']));
    await writer.close();
    expect(writer.session.slots.length).toBe(1);
    expect(writer.session.slots[0]!.server).not.toBe(servers[0]);
    expect(await ids('st_slots')).toEqual(range(60));
  });

  it('a connection killed mid-flush (after the server wrote the batch) loses and duplicates nothing', async () => {
    const writer = await (await odps.tables.get('st_kill')).openStreamWriter({ flushRows: 50 });
    // The 2nd PUT is written and its connection killed before the answer; the 4th gets a 503 before
    // anything is written. The client must skip resending the first and resend the second.
    const puts0 = puts('st_kill');
    await writer.write(range(50).map((i) => [i, 'k']));
    emu.faults.set([{ method: 'PUT', path: '/st_kill/streams', resetAfterBytes: 0, count: 1 }]);
    await writer.write(range(50, 50).map((i) => [i, 'k']));
    await writer.write(range(50, 100).map((i) => [i, 'k']));
    emu.faults.set([{ method: 'PUT', path: '/st_kill/streams', status: 503, count: 1 }]);
    await writer.write(range(50, 150).map((i) => [i, 'k']));
    await writer.write(range(7, 200).map((i) => [i, 'k']));
    await writer.close();
    expect(emu.faults.list()).toEqual([]);
    expect(writer.recordCount).toBe(207);
    expect(writer.flushedCount).toBe(207);
    expect(await count('st_kill')).toBe(207);
    expect(await ids('st_kill')).toEqual(range(207));
    // 5 batches, the reset one not resent, the 503 one sent twice.
    expect(puts('st_kill') - puts0).toBe(6);
  });

  it('a lost answer on a session that cannot tell what landed fails typed instead of resending', async () => {
    const writer = await (await odps.tables.get('st_kill')).openStreamWriter();
    const before = await count('st_kill');
    // Pretend the server never reported last_batch_id.
    (writer.session as { lastBatchId?: number }).lastBatchId = undefined;
    emu.faults.set([{ method: 'PUT', path: '/st_kill/streams', resetAfterBytes: 0, count: 1 }]);
    await writer.write([[1000n, 'u']]);
    const err: unknown = await writer.flush().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StreamFlushUncertainError);
    expect(err).toMatchObject({ code: 'StreamFlushUncertain', recordCount: 1 });
    // The batch did land once and was not resent.
    expect(await count('st_kill')).toBe(before + 1);
    await expect(writer.write([1001n, 'v'])).rejects.toMatchObject({ code: 'WriterFailed' });
  });

  it('bad values fail with ValueTypeError before anything is sent, and leave the batch untouched', async () => {
    const writer = await (await odps.tables.get('st_bad')).openStreamWriter();
    const puts0 = puts('st_bad');
    const bad: unknown[][] = [
      ['not a number', 'x'],
      [1.5, 'x'],
      [1n, 42],
      [1n, 'x', 'extra'],
    ];
    for (const row of bad) await expect(writer.write(row)).rejects.toBeInstanceOf(ValueTypeError);
    // A multi-row call with one bad row buffers none of its rows.
    await expect(writer.write([[1n, 'ok'], [2n, 'ok'], [3n, {}]])).rejects.toBeInstanceOf(ValueTypeError);
    await expect(writer.write({ id: 1n, nope: 'x' })).rejects.toMatchObject({ name: 'OdpsArgumentError' });
    await expect(writer.write(null as unknown as unknown[])).rejects.toThrow();
    expect(writer.recordCount).toBe(0);
    expect(puts('st_bad')).toBe(puts0);
    await writer.write([[5n, 'good']]);
    await writer.close();
    expect(await ids('st_bad')).toEqual([5n]);
    expect(puts('st_bad') - puts0).toBe(1);
  });
});
