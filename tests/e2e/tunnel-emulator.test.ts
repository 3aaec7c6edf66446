// End-to-end: the client's Tunnel (record and Arrow, table and instance) against the emulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AliyunAccount } from '@odps-ts/auth';
import { ODPS, Timestamp, ValueTypeError } from '@odps-ts/odps-client';
import { startEmulator, type Emulator } from '@odps-ts/emulator';
import type { RecordBatch } from 'apache-arrow';

const COLUMNS = [
  { name: 'id', type: 'bigint' },
  { name: 'name', type: 'string' },
  { name: 'score', type: 'double' },
  { name: 'price', type: 'decimal(20,4)' },
  { name: 'at', type: 'datetime' },
  { name: 'ts', type: 'timestamp' },
  { name: 'ok', type: 'boolean' },
  { name: 'tags', type: 'array<string>' },
  { name: 'attrs', type: 'map<string,bigint>' },
  { name: 'd', type: 'date' },
];

function sampleRow(i: number): unknown[] {
  return [
    BigInt(i) * 1_000_003n - 5n,
    i % 7 === 0 ? null : `name-${i}-é`,
    i % 5 === 0 ? null : i / 4,
    `${i}.${String(i % 10000).padStart(4, '0')}`,
    new Date(Date.UTC(2024, 0, 1) + i * 60_000),
    new Timestamp(1_700_000_000n + BigInt(i), (i * 7919) % 1_000_000_000),
    i % 2 === 0,
    i % 3 === 0 ? [] : [`t${i}`, null],
    new Map<string, bigint | null>([['k', BigInt(i)], ['n', null]]),
    `2025-01-${String((i % 28) + 1).padStart(2, '0')}`,
  ];
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('tunnel against the emulator', () => {
  let emu: Emulator;
  let odps: ODPS;
  const N = 2500;
  const expected = Array.from({ length: N }, (_, i) => sampleRow(i));

  beforeAll(async () => {
    emu = await startEmulator({ port: 0 });
    odps = new ODPS({ account: new AliyunAccount(emu.accessKeyId, emu.accessKeySecret), project: emu.project, endpoint: emu.endpoint });
    await odps.tables.create('tun_all', { columns: COLUMNS, partitionColumns: [{ name: 'ds', type: 'string' }] });
  });
  afterAll(async () => {
    await odps?.close();
    await emu?.close();
  });

  it('uploads rows in several blocks and reads them back exactly (record format)', async () => {
    const table = await odps.tables.get('tun_all');
    const writer = await table.openWriter({ partition: { ds: '20250101' }, createPartition: true, blockSize: 64 * 1024 });
    for (let i = 0; i < N; i += 500) await writer.write(expected.slice(i, i + 500));
    await writer.commit();
    expect(writer.blockIds.length).toBeGreaterThan(1);

    const reader = await table.openReader({ partition: { ds: '20250101' } });
    const rows = await collect(reader);
    expect(rows).toHaveLength(N);
    expect(rows).toEqual(expected);
    expect(await table.partitions.exists({ ds: '20250101' })).toBe(true);
  });

  it('reads a row range with projection, in parallel and compressed', async () => {
    const table = await odps.tables.get('tun_all');
    const reader = await table.openReader({ partition: 'ds=20250101', columns: ['ts', 'id'], start: 100, count: 1000, parallel: 3, compress: true });
    const rows = await collect(reader);
    expect(rows).toEqual(expected.slice(100, 1100).map((r) => [r[5], r[0]]));
  });

  it('reads the same data as Arrow record batches', async () => {
    const table = await odps.tables.get('tun_all');
    const reader = await table.openArrowReader({ partition: { ds: '20250101' } });
    const batches: RecordBatch[] = await collect(reader);
    const total = batches.reduce((n, b) => n + b.numRows, 0);
    expect(total).toBe(N);
    const first = batches[0]!;
    expect(first.schema.fields.map((f: { name: string }) => f.name)).toEqual(COLUMNS.map((c) => c.name));
    expect(first.getChild('id')?.get(3)).toBe(expected[3]![0]);
    expect(first.getChild('name')?.get(1)).toBe('name-1-é');
  });

  it('overwrites a partition and round-trips through an Arrow writer', async () => {
    const table = await odps.tables.get('tun_all');
    const source = await table.openArrowReader({ partition: { ds: '20250101' }, start: 0, count: 10 });
    const batches = await collect(source);
    const writer = await table.openArrowWriter({ partition: { ds: '20250102' }, createPartition: true, overwrite: true });
    for (const b of batches) await writer.write(b);
    await writer.commit();
    const rows = await collect(await table.openReader({ partition: { ds: '20250102' } }));
    expect(rows).toEqual(expected.slice(0, 10));

    const over = await table.openWriter({ partition: { ds: '20250102' }, overwrite: true });
    await over.write(expected.slice(20, 23));
    await over.commit();
    expect(await collect(await table.openReader({ partition: { ds: '20250102' } }))).toEqual(expected.slice(20, 23));
  });

  it('refuses a bad value before anything is sent, and an aborted writer commits nothing', async () => {
    const table = await odps.tables.get('tun_all');
    const writer = await table.openWriter({ partition: { ds: '20250101' } });
    await writer.write(expected.slice(0, 5));
    const bad = sampleRow(1);
    bad[0] = 'not a number';
    const err = await writer.write([bad]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValueTypeError);
    expect(String((err as Error).message)).toMatch(/\bid\b/);
    await writer.abort();
    const count = await odps.executeSql(`SELECT COUNT(*) FROM tun_all WHERE ds = '20250101'`);
    expect(await collect(count.openReader())).toEqual([[BigInt(N)]]);
  });

  it('reads SQL results through the instance tunnel, in both formats', async () => {
    const inst = await odps.executeSql(`SELECT id, name, ts FROM tun_all WHERE ds = '20250101' AND id < 5000000 ORDER BY id`);
    const reader = inst.openReader();
    expect(reader.columns).toBeUndefined();
    const rows = await collect(reader);
    expect(reader.columns?.map((c) => `${c.name}:${c.type}`)).toEqual(['id:bigint', 'name:string', 'ts:timestamp']);
    const want = expected.filter((r) => (r[0] as bigint) < 5_000_000n).map((r) => [r[0], r[1], r[5]]);
    expect(rows).toEqual(want);
    const limited = await collect(inst.openReader({ limit: 2 }));
    expect(limited).toEqual(want.slice(0, 2));
    const viaCsv = inst.openReader({ tunnel: false, columns: ['name', 'id'] });
    expect(await collect(viaCsv)).toEqual(want.map((r) => [r[1], r[0]]));
    expect(viaCsv.columns?.map((c) => c.name)).toEqual(['name', 'id']);
    const batches = await collect(inst.openArrowReader());
    expect(batches.reduce((n, b) => n + b.numRows, 0)).toBe(want.length);
  });

  it('round-trips the remaining types through upload and download', async () => {
    const columns = [
      { name: 'ti', type: 'tinyint' },
      { name: 'si', type: 'smallint' },
      { name: 'i', type: 'int' },
      { name: 'f', type: 'float' },
      { name: 'b', type: 'binary' },
      { name: 'vc', type: 'varchar(10)' },
      { name: 'st', type: 'struct<a:int,b:string>' },
      { name: 'ntz', type: 'timestamp_ntz' },
      { name: 'j', type: 'json' },
    ];
    await odps.tables.create('tun_more', { columns });
    const table = await odps.tables.get('tun_more');
    const rows = [
      [-128, -32768, -2147483648, 1.5, new Uint8Array([0, 255, 7]), 'ten chars!', { a: 1, b: 'x' }, new Timestamp(-1n, 500_000_000), '{"k":[1,2]}'],
      [127, 32767, 2147483647, -0.25, new Uint8Array([]), '', { a: null, b: null }, new Timestamp(4102444799n, 999_999_999), '[]'],
      [null, null, null, null, null, null, null, null, null],
    ];
    const writer = await table.openWriter();
    await writer.write(rows);
    await writer.commit();
    expect(await collect(await table.openReader())).toEqual(rows);
  });
});
