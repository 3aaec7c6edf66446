// Edge values of each type × every data path (tunnel record, tunnel Arrow, SQL `?result` CSV, instance tunnel) against the emulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AliyunAccount } from '@odps-ts/auth';
import { arrowBatchToRows, ODPS, Timestamp, ValueTypeError, type Column } from '@odps-ts/odps-client';
import { startEmulator, type Emulator } from '@odps-ts/emulator';

const COLUMNS: Column[] = [
  { name: 'k', type: 'bigint' },
  { name: 'd', type: 'date' },
  { name: 'dt', type: 'datetime' },
  { name: 'f', type: 'float' },
  { name: 'b', type: 'binary' },
  { name: 's', type: 'string' },
];

const YEARS = [1, 99, 100, 1969, 1970, 9999];
const BYTES = [
  Uint8Array.of(0x00, 0x7f, 0x80, 0xff, 0xfe),
  Uint8Array.of(0x2c, 0x22, 0x0a, 0x0d, 0x5c, 0x4e), // , " \n \r \ N: CSV structure bytes inside a value
  Uint8Array.of(0x5c, 0x4e), // the two bytes of the CSV NULL token
  new Uint8Array(0),
  Uint8Array.of(0xc3, 0x28, 0xed, 0xa0, 0x80), // invalid UTF-8 sequences (overlong-ish, encoded surrogate)
  Uint8Array.from({ length: 256 }, (_, i) => i),
];
const FLOATS = [0, -0, 1.5, -3.4028234663852886e38, 3.4028234663852886e38, 1.401298464324817e-45, Number.NaN, Infinity, -Infinity];
const STRINGS = ['', 'plain', 'a,"b"\nc', '\\N', 'é中😀', 'x'.repeat(40) + '😀'];

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

function dateTime(y: number, ms: number): Date {
  const d = new Date(0);
  d.setUTCFullYear(y, 5, 15);
  d.setUTCHours(12, 34, 56, ms);
  return d;
}

/** Rows as written and as every reader must return them (value model, design §4). */
function rows(): unknown[][] {
  const out: unknown[][] = [];
  const n = Math.max(YEARS.length, BYTES.length, FLOATS.length, STRINGS.length);
  for (let i = 0; i < n; i++) {
    const y = YEARS[i % YEARS.length]!;
    out.push([
      BigInt(i),
      `${pad(y, 4)}-${i % 2 === 0 ? '01-01' : '12-31'}`,
      dateTime(y, i * 7),
      FLOATS[i % FLOATS.length],
      BYTES[i % BYTES.length],
      STRINGS[i % STRINGS.length],
    ]);
  }
  return out;
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** Byte arrays compared as plain arrays: Buffer vs Uint8Array is not a data difference. */
function norm(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(norm);
  if (v instanceof Uint8Array) return { bytes: [...v] };
  if (typeof v === 'number' && Number.isNaN(v)) return 'NaN';
  return v;
}

function byKey(rs: unknown[][]): unknown[][] {
  return [...rs].sort((a, b) => Number((a[0] as bigint) - (b[0] as bigint))).map(norm) as unknown[][];
}

describe('value integrity across every data path', () => {
  let emu: Emulator;
  let odps: ODPS;
  const expected = rows();

  beforeAll(async () => {
    emu = await startEmulator({ port: 0 });
    odps = new ODPS({ account: new AliyunAccount(emu.accessKeyId, emu.accessKeySecret), project: emu.project, endpoint: emu.endpoint });
    await odps.tables.create('vi_edge', { columns: COLUMNS });
    const table = await odps.tables.get('vi_edge');
    const w = await table.openWriter();
    await w.write(expected);
    await w.commit();
  });
  afterAll(async () => {
    await odps?.close();
    await emu?.close();
  });

  it('tunnel record read returns exactly what was written', async () => {
    const table = await odps.tables.get('vi_edge');
    expect(byKey(await collect(await table.openReader()))).toEqual(byKey(expected));
  });

  it('tunnel Arrow read returns exactly what was written', async () => {
    const table = await odps.tables.get('vi_edge');
    const got: unknown[][] = [];
    for (const b of await collect(await table.openArrowReader())) got.push(...(arrowBatchToRows(b, COLUMNS) as unknown[][]));
    expect(byKey(got)).toEqual(byKey(expected));
  });

  it('SQL ?result CSV returns exactly what was written (BINARY and STRING byte-exact)', async () => {
    const inst = await odps.executeSql('SELECT k, d, dt, f, b, s FROM vi_edge');
    // DATETIME text in the CSV has whole seconds (PyODPS parses it with '%Y-%m-%d %H:%M:%S'): the
    // milliseconds are dropped there, everything else is exact.
    const toSeconds = (r: unknown[]): unknown[] => r.map((v, i) => (i === 2 && v instanceof Date ? new Date(Math.floor(v.getTime() / 1000) * 1000) : v));
    expect(byKey(await collect(inst.openReader({ tunnel: false })))).toEqual(byKey(expected.map(toSeconds)));
  });

  it('instance tunnel (record and Arrow) returns exactly what was written', async () => {
    const inst = await odps.executeSql('SELECT k, d, dt, f, b, s FROM vi_edge');
    expect(byKey(await collect(inst.openReader()))).toEqual(byKey(expected));
    const got: unknown[][] = [];
    for (const b of await collect(inst.openArrowReader())) got.push(...(arrowBatchToRows(b, COLUMNS) as unknown[][]));
    expect(byKey(got)).toEqual(byKey(expected));
  });

  it('SQL literals of years 0001..0099 read back as written', async () => {
    await odps.executeSql(`CREATE TABLE vi_sql (d DATE, dt DATETIME)`);
    await odps.executeSql(`INSERT INTO vi_sql VALUES (CAST('0001-01-01' AS DATE), CAST('0001-01-01 00:00:00' AS DATETIME)),
      (CAST('0099-12-31' AS DATE), CAST('0099-12-31 23:59:59' AS DATETIME))`);
    const table = await odps.tables.get('vi_sql');
    const want = [['0001-01-01', new Date('0001-01-01T00:00:00Z')], ['0099-12-31', new Date('0099-12-31T23:59:59Z')]];
    expect(await collect(await table.openReader())).toEqual(want);
    const inst = await odps.executeSql('SELECT d, dt FROM vi_sql ORDER BY d');
    expect(await collect(inst.openReader({ tunnel: false }))).toEqual(want);
  });

  it('TIMESTAMP edge years: the emulator range is 1677..2262, outside it the upload fails with a clear error', async () => {
    await odps.tables.create('vi_ts', { columns: [{ name: 'ts', type: 'timestamp' }] });
    const table = await odps.tables.get('vi_ts');
    const inRange = [Timestamp.parse('1969-12-31T23:59:59.999999999Z'), Timestamp.parse('1970-01-01T00:00:00.000000001Z')];
    const w = await table.openWriter();
    await w.write(inRange.map((t) => [t]));
    await w.commit();
    expect(await collect(await table.openReader())).toEqual(inRange.map((t) => [t]));
    for (const y of [1, 99, 100, 9999]) {
      const w2 = await table.openWriter();
      await w2.write([[Timestamp.parse(`${pad(y, 4)}-01-01T00:00:00Z`)]]);
      await expect(w2.commit()).rejects.toThrow(/timestamp out of the emulator range/);
    }
    expect(await collect(await table.openReader())).toHaveLength(2);
  });

  it('rejects FLOAT overflow/underflow and lone surrogates with ValueTypeError; nothing half-written', async () => {
    const table = await odps.tables.get('vi_edge');
    const bad: unknown[][] = [
      [100n, null, null, 3.5e38, null, null],
      [101n, null, null, 1e300, null, null],
      [102n, null, null, -1e39, null, null],
      [103n, null, null, 1e-50, null, null],
      [104n, null, null, -1e-46, null, null],
      [105n, null, null, null, null, 'x\uD800y'],
      [106n, null, null, null, null, '\uDC00'],
      [107n, null, null, null, null, 'y'.repeat(100) + '\uD83D'],
    ];
    for (const row of bad) {
      const w = await table.openWriter();
      await expect(w.write([[99n, null, null, 1, null, 'ok'], row])).rejects.toBeInstanceOf(ValueTypeError);
      await w.commit();
    }
    expect((await collect(await table.openReader())).length).toBe(expected.length);
  });

  it('STRING bytes that are not UTF-8: the emulator refuses them at commit (VARCHAR storage) rather than storing U+FFFD', async () => {
    const table = await odps.tables.get('vi_edge');
    const before = (await collect(await table.openReader())).length;
    for (const bytes of [[0xff], [0x80, 0x61], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]]) {
      const w = await table.openWriter();
      await w.write([[200n, null, null, null, null, Uint8Array.from(bytes)]]);
      await expect(w.commit()).rejects.toThrow(/not valid UTF-8/);
    }
    // Valid UTF-8 given as bytes is stored as its text, and reads back as bytes with binaryStrings.
    const w = await table.openWriter();
    await w.write([[201n, null, null, null, null, Buffer.from('é😀', 'utf8')]]);
    await w.commit();
    const rows = await collect(await table.openReader({ binaryStrings: true }));
    expect(rows).toHaveLength(before + 1);
    const got = rows.find((r) => r[0] === 201n)!;
    expect(Buffer.from(got[5] as Uint8Array).toString('utf8')).toBe('é😀');
    const inst = await odps.executeSql('SELECT s FROM vi_edge WHERE k = 201');
    const viaCsv = await collect(inst.openReader({ tunnel: false, binaryStrings: true }));
    expect(Buffer.from(viaCsv[0]![0] as Uint8Array).toString('utf8')).toBe('é😀');
  });
});
