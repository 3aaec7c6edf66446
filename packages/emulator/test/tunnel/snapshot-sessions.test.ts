// Download sessions over engine snapshots: multi-chunk ranges, parallel readers, release on reset, pinning, fallback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeRecordStream, type Column } from '@odps-ts/odps-client';
import type { Engine } from '../../src/engine/index.js';
import { createEngine, startEmulator, type Emulator } from '../../src/index.js';
import { EngineSnapshotSource } from '../../src/server/tunnel/row-source.js';
import { call, sqlJob } from '../server/helpers.js';
import { tunnel } from './helpers.js';

const BIG = '/projects/demo/tables/big';
const COLUMNS: Column[] = [
  { name: 'id', type: 'bigint' },
  { name: 'name', type: 'string' },
  { name: 'tags', type: 'array<string>' },
  { name: 'attrs', type: 'map<string,bigint>' },
];
const N = 20_000;

function bigRows(from: number, to: number): unknown[][] {
  const out: unknown[][] = [];
  for (let i = from; i < to; i++) out.push([BigInt(i), i % 7 === 0 ? null : `n${i}`, i % 5 === 0 ? null : [`t${i}`], new Map([[`k${i % 4}`, BigInt(-i)]])]);
  return out;
}

async function createSession(emu: Emulator): Promise<{ DownloadID: string; RecordCount: number }> {
  const res = await tunnel(emu, 'POST', `${BIG}?downloads`);
  expect(res.status, res.body.toString()).toBe(200);
  return res.json();
}

async function readRange(emu: Emulator, id: string, start: number, count: number, extra = ''): Promise<unknown[][]> {
  const res = await tunnel(emu, 'GET', `${BIG}?data&downloadid=${id}&rowrange=(${start},${count})${extra}`);
  expect(res.status, res.body.toString()).toBe(200);
  const decoded = decodeRecordStream(extra.includes('columns=') ? [COLUMNS[3]!, COLUMNS[0]!] : COLUMNS, res.body);
  expect(decoded.recordCount).toBe(count);
  return decoded.rows;
}

async function seeded(engine?: Engine): Promise<Emulator> {
  const emu = await startEmulator({ seed: false, ...(engine ? { engine } : {}) });
  await emu.engine.execute(emu.project, 'CREATE TABLE big (id BIGINT, name STRING, tags ARRAY<STRING>, attrs MAP<STRING,BIGINT>)');
  // Two writes with an overwrite between them: the snapshot's rowids are not 0..N-1.
  await emu.engine.writeRows(emu.project, 'big', bigRows(0, 100), {});
  await emu.engine.writeRows(emu.project, 'big', bigRows(0, N / 2), { overwrite: true });
  await emu.engine.writeRows(emu.project, 'big', bigRows(N / 2, N), {});
  return emu;
}

describe('download sessions over engine snapshots', () => {
  let emu: Emulator;
  const snapshots = () => (emu.engine as unknown as { snapshotCount: number }).snapshotCount;
  beforeAll(async () => {
    emu = await seeded();
  }, 60_000);
  afterAll(async () => {
    await emu.close();
  });

  it('serves many chunks in order; disjoint parallel ranges join up to the full range, frozen against writes', async () => {
    const s = await createSession(emu);
    expect(s.RecordCount).toBe(N);
    await emu.engine.writeRows(emu.project, 'big', bigRows(0, 5), { overwrite: true });
    const parts = await Promise.all([readRange(emu, s.DownloadID, 0, 6_001), readRange(emu, s.DownloadID, 6_001, 8_192), readRange(emu, s.DownloadID, 14_193, N - 14_193)]);
    const joined = parts.flat();
    expect(joined.length).toBe(N);
    expect(joined).toEqual(bigRows(0, N));
    expect(await readRange(emu, s.DownloadID, 8_000, 300, '&columns=attrs,id')).toEqual(bigRows(8_000, 8_300).map((r) => [r[3], r[0]]));
    const arrow = await tunnel(emu, 'GET', `${BIG}?data&downloadid=${s.DownloadID}&rowrange=(0,${N})&arrow`);
    expect(arrow.status).toBe(200);
    expect(arrow.body.length).toBeGreaterThan(N);
    await emu.engine.writeRows(emu.project, 'big', bigRows(0, N), { overwrite: true });
  });

  it('holds one engine snapshot per session and releases them all on reset', async () => {
    const before = snapshots();
    await createSession(emu);
    await createSession(emu);
    expect(snapshots()).toBe(before + 2);
    const reset = await call(emu, 'POST', '/reset', { service: 'admin' });
    expect(reset.status).toBe(200);
    await new Promise((r) => setTimeout(r, 50));
    expect(snapshots()).toBe(0);
  });
});

describe('EngineSnapshotSource', () => {
  it('drops the snapshot only when released and no request is streaming from it', async () => {
    const dropped: string[] = [];
    const engine = {
      readSnapshot: () => Promise.resolve([]),
      dropSnapshot: (id: string) => {
        dropped.push(id);
        return Promise.resolve();
      },
    } as unknown as ConstructorParameters<typeof EngineSnapshotSource>[0];
    const src = new EngineSnapshotSource(engine, 's1', ['a'], 10, 8192, () => {});
    const unpinA = src.pin();
    const unpinB = src.pin();
    src.release();
    expect(dropped).toEqual([]);
    unpinA();
    unpinA();
    expect(dropped).toEqual([]);
    unpinB();
    expect(dropped).toEqual(['s1']);
    src.release();
    expect(dropped).toEqual(['s1']);
  });
});

describe('engines without snapshots', () => {
  it('fall back to rows held in memory, still frozen', async () => {
    const engine = await createEngine();
    // Hide the snapshot extension the way a wrapping engine without it would.
    const plain = new Proxy(engine, {
      get(target, key) {
        if (key === 'snapshot' || key === 'readSnapshot' || key === 'dropSnapshot') return undefined;
        const v = Reflect.get(target, key) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    const emu = await seeded(plain);
    try {
      const s = await createSession(emu);
      await emu.engine.writeRows(emu.project, 'big', bigRows(0, 3), { overwrite: true });
      expect(await readRange(emu, s.DownloadID, 9_990, 20)).toEqual(bigRows(9_990, 10_010));
    } finally {
      await emu.close();
      await engine.close();
    }
  }, 60_000);
});

describe('instance tunnel over a kept result', () => {
  it('serves a large SELECT result from its DuckDB snapshot (limit flag respected; a reset drops it with its instance)', async () => {
    const engine = await createEngine();
    // The wiring an instance store gives large results: keep them in DuckDB beyond 100 rows.
    const keeping = new Proxy(engine, {
      get(target, key) {
        if (key === 'execute') return (p: string, sql: string, opts: object = {}) => target.execute(p, sql, { ...opts, keepResultOver: 100 });
        const v = Reflect.get(target, key) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    const emu = await seeded(keeping);
    try {
      const submitted = await call(emu, 'POST', `/projects/${emu.project}/instances`, { body: sqlJob('SELECT id, attrs FROM big WHERE id >= 5 ORDER BY id DESC;') });
      expect(submitted.status).toBe(201);
      const id = submitted.headers['location']!.split('/').pop()!;
      for (let i = 0; i < 50; i++) {
        const st = await call(emu, 'GET', `/projects/${emu.project}/instances/${id}?instancestatus`);
        if (st.text.includes('Terminated')) break;
      }
      const path = `/projects/${emu.project}/instances/${id}`;
      expect((engine as unknown as { snapshotCount: number }).snapshotCount).toBe(1);
      const created = await tunnel(emu, 'POST', `${path}?downloads`);
      expect(created.status, created.body.toString()).toBe(200);
      const s = created.json<{ DownloadID: string; RecordCount: number }>();
      expect(s.RecordCount).toBe(N - 5);
      const data = await tunnel(emu, 'GET', `${path}?data&downloadid=${s.DownloadID}&rowrange=(9000,3)&columns=id`);
      expect(data.status, data.body.toString()).toBe(200);
      expect(decodeRecordStream([COLUMNS[0]!], data.body).rows).toEqual([[BigInt(N - 1 - 9000)], [BigInt(N - 1 - 9001)], [BigInt(N - 1 - 9002)]]);
      const limited = await tunnel(emu, 'POST', `${path}?downloads&instance_tunnel_limit_enabled=true`);
      expect(limited.json<{ RecordCount: number }>().RecordCount).toBe(10_000);
      await call(emu, 'POST', '/reset', { service: 'admin' });
      // A reset forgets the instances too, and the store drops their result snapshots with them.
      for (let i = 0; i < 50 && (engine as unknown as { snapshotCount: number }).snapshotCount !== 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect((engine as unknown as { snapshotCount: number }).snapshotCount).toBe(0);
    } finally {
      await emu.close();
      await engine.close();
    }
  }, 60_000);
});
