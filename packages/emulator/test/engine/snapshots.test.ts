// Engine snapshots (tunnel downloads): frozen against writes/DDL, stable order across chunk boundaries, release.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/index.js';
import type { Engine } from '../../src/engine/index.js';

type SnapshotEngine = Engine & Required<Pick<Engine, 'snapshot' | 'readSnapshot' | 'dropSnapshot'>> & { snapshotCount: number };

function rows(from: number, to: number, tag: string): unknown[][] {
  const out: unknown[][] = [];
  for (let i = from; i < to; i++) out.push([BigInt(i), `${tag}${i}`, [`a${i}`, null], new Map([[`k${i % 3}`, BigInt(i)]])]);
  return out;
}

describe('engine snapshots', () => {
  let e: SnapshotEngine;
  beforeEach(async () => {
    e = (await createEngine({})) as SnapshotEngine;
    await e.execute('p', 'CREATE TABLE t (id BIGINT, name STRING, tags ARRAY<STRING>, attrs MAP<STRING,BIGINT>) PARTITIONED BY (ds STRING)');
  });
  afterEach(() => e.close());

  it('reads a partition in insertion order across chunk boundaries, whatever the range alignment', async () => {
    // Interleave partitions so the snapshot's rowids are far from contiguous.
    for (let b = 0; b < 6; b++) {
      await e.writeRows('p', 't', rows(b * 5000, (b + 1) * 5000, 'a'), { partition: { ds: 'a' }, createPartition: true });
      await e.writeRows('p', 't', rows(b * 1000, (b + 1) * 1000, 'b'), { partition: { ds: 'b' }, createPartition: true });
    }
    const snap = await e.snapshot('p', 't', { partition: { ds: 'a' } });
    expect(snap.count).toBe(30_000);
    expect(snap.chunkRows).toBeGreaterThan(0);
    const all = await e.readRows('p', 't', { partition: { ds: 'a' } });
    const whole = await e.readSnapshot(snap.id, { offset: 0, limit: snap.count });
    expect(whole.length).toBe(30_000);
    expect(whole).toEqual(all);
    for (const [offset, limit] of [[0, 1], [snap.chunkRows - 3, 7], [12_345, 9_000], [29_990, 50], [30_000, 5]] as const) {
      expect(await e.readSnapshot(snap.id, { offset, limit })).toEqual(all.slice(offset, offset + limit));
    }
    expect(await e.readSnapshot(snap.id, { offset: 8190, limit: 4, columns: ['ATTRS', 'id'] })).toEqual(all.slice(8190, 8194).map((r) => [r[3], r[0]]));
  });

  it('stays frozen through appends, overwrites, ALTER, rename and drop on the engine', async () => {
    await e.writeRows('p', 't', rows(0, 10, 'x'), { partition: { ds: 'a' }, createPartition: true });
    const snap = await e.snapshot('p', 't', { partition: { ds: 'a' } });
    const before = await e.readSnapshot(snap.id, { offset: 0, limit: 10 });
    await e.writeRows('p', 't', rows(10, 20, 'y'), { partition: { ds: 'a' } });
    await e.writeRows('p', 't', rows(0, 3, 'z'), { partition: { ds: 'a' }, overwrite: true });
    await e.execute('p', 'ALTER TABLE t ADD COLUMNS (extra STRING)');
    await e.execute('p', 'ALTER TABLE t RENAME TO t2');
    await e.execute('p', 'DROP TABLE t2');
    expect(await e.readSnapshot(snap.id, { offset: 0, limit: 100 })).toEqual(before);
    expect(before[0]).toEqual([0n, 'x0', ['a0', null], new Map([['k0', 0n]])]);
  });

  it('snapshots a flat table, an empty partition and a view', async () => {
    await e.execute('p', 'CREATE TABLE flat (id BIGINT, name STRING)');
    await e.writeRows('p', 'flat', [[1n, 'one'], [2n, null]], {});
    await e.execute('p', 'CREATE VIEW v AS SELECT id, name FROM flat WHERE id > 1');
    await e.execute('p', "ALTER TABLE t ADD PARTITION (ds='empty')");
    const flat = await e.snapshot('p', 'flat', {});
    const empty = await e.snapshot('p', 't', { partition: { ds: 'empty' } });
    const view = await e.snapshot('p', 'v', {});
    await e.writeRows('p', 'flat', [[3n, 'three']], {});
    expect(await e.readSnapshot(flat.id, { offset: 0, limit: 10 })).toEqual([[1n, 'one'], [2n, null]]);
    expect(empty.count).toBe(0);
    expect(await e.readSnapshot(empty.id, { offset: 0, limit: 10 })).toEqual([]);
    expect(view.count).toBe(1);
    expect(await e.readSnapshot(view.id, { offset: 0, limit: 10 })).toEqual([[2n, null]]);
  });

  it('drops snapshots (idempotent), refuses reads of dropped ones and closes with some still open', async () => {
    await e.writeRows('p', 't', rows(0, 5, 'x'), { partition: { ds: 'a' }, createPartition: true });
    const a = await e.snapshot('p', 't', { partition: { ds: 'a' } });
    const b = await e.snapshot('p', 't', { partition: { ds: 'a' } });
    expect(a.id).not.toBe(b.id);
    expect(e.snapshotCount).toBe(2);
    await e.dropSnapshot(a.id);
    await e.dropSnapshot(a.id);
    await e.dropSnapshot('nosuch');
    expect(e.snapshotCount).toBe(1);
    await expect(e.readSnapshot(a.id, { offset: 0, limit: 1 })).rejects.toThrow(/no download snapshot/);
    expect((await e.readSnapshot(b.id, { offset: 0, limit: 1 })).length).toBe(1);
    await expect(e.snapshot('p', 't', { partition: { ds: 'nosuch' } })).rejects.toThrow(/partition/i);
    await expect(e.snapshot('p', 'nosuch', {})).rejects.toThrow(/nosuch/);
  });
});

describe('kept query results', () => {
  let e: SnapshotEngine;
  beforeEach(async () => {
    e = (await createEngine({})) as SnapshotEngine;
    await e.execute('p', 'CREATE TABLE t (id BIGINT, name STRING, attrs MAP<STRING,BIGINT>)');
    await e.writeRows('p', 't', rows(0, 3000, 'r').map((r) => [r[0], r[1], r[3]]), {});
  });
  afterEach(() => e.close());

  it('keeps a large result in DuckDB (ordered, frozen) and answers only its head as rows', async () => {
    const r = await e.execute('p', 'SELECT id, name, attrs FROM t WHERE id >= 10 ORDER BY id DESC', { keepResultOver: 100 });
    expect(r.rows.length).toBe(101);
    expect(r.columns.map((c) => [c.name, c.type])).toEqual([['id', 'bigint'], ['name', 'string'], ['attrs', 'map<string,bigint>']]);
    expect(r.snapshot).toMatchObject({ count: 2990, columns: ['id', 'name', 'attrs'] });
    await e.execute('p', 'INSERT OVERWRITE TABLE t SELECT id, name, attrs FROM t WHERE id < 5');
    const all = await e.readSnapshot(r.snapshot!.id, { offset: 0, limit: 5000 });
    expect(all.length).toBe(2990);
    expect(all[0]).toEqual([2999n, 'r2999', new Map([['k2', 2999n]])]);
    expect(all[2989]![0]).toBe(10n);
    expect(all.slice(0, 101)).toEqual(r.rows);
    expect(await e.readSnapshot(r.snapshot!.id, { offset: 2000, limit: 2, columns: ['name'] })).toEqual([['r999'], ['r998']]);
    await e.dropSnapshot(r.snapshot!.id);
    expect(e.snapshotCount).toBe(0);
  });

  it('answers small results, unkeepable ones and scripts without the option as plain rows', async () => {
    const small = await e.execute('p', 'SELECT id FROM t WHERE id < 50', { keepResultOver: 100 });
    expect(small.rows.length).toBe(50);
    expect(small.snapshot).toBeUndefined();
    const dup = await e.execute('p', 'SELECT id, id FROM t', { keepResultOver: 100 });
    expect(dup.rows.length).toBe(3000);
    expect(dup.snapshot).toBeUndefined();
    const plain = await e.execute('p', 'SELECT id FROM t');
    expect(plain.rows.length).toBe(3000);
    expect(plain.snapshot).toBeUndefined();
    // Only the last statement's result is kept; the earlier one is released.
    const two = await e.execute('p', 'SELECT id FROM t; SELECT name FROM t WHERE id < 2000', { keepResultOver: 100 });
    expect(two.snapshot?.count).toBe(2000);
    expect(e.snapshotCount).toBe(1);
    await expect(e.execute('p', 'SELECT id FROM t; SELECT nosuch FROM t', { keepResultOver: 100 })).rejects.toThrow();
    expect(e.snapshotCount).toBe(1);
  });
});
