// download/upload through the built binary: CSV, NDJSON and Arrow round trips, partitions, errors.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvLine } from '../src/output/csv.js';
import { startEmulator, type Emulator } from '@odps-ts/emulator';
import { ensureBuilt } from './helpers/build.js';
import { baseEnv, emulatorEnv, runCli, tempDir, type CliResult } from './helpers/run-cli.js';

let emu: Emulator;
let env: Record<string, string>;
let dir: string;
const odps = (args: string[], input?: string): Promise<CliResult> => runCli(args, { env, cwd: dir, ...(input !== undefined ? { input } : {}) });

const COLUMNS = `id bigint, i int, d double, amount decimal(18,2), s string, b binary, flag boolean, dt datetime, day date,
  ts timestamp, tags array<string>, attrs map<string,bigint>, st struct<x:int, y:string>`;

// Every value-model type, NULLs, the empty string, separators/quotes/newlines, a bigint beyond 2^53.
const SOURCE_ROWS = [
  { id: '9007199254740993', i: -7, d: 1.5, amount: '12.50', s: 'plain', b: 'AP8Q', flag: true, dt: '2025-01-02T03:04:05.006Z', day: '2025-01-02',
    ts: '2025-01-02T03:04:05.123456789Z', tags: ['a', 'b,c'], attrs: { k: '1' }, st: { x: 1, y: 'why' } },
  { id: '2', i: 0, d: -0.25, amount: '-0.01', s: '', b: '', flag: false, dt: '1970-01-01T00:00:00.000Z', day: '1970-01-01',
    ts: '1970-01-01T00:00:00.000000001Z', tags: [], attrs: {}, st: { x: null, y: '' } },
  { id: '3', i: null, d: null, amount: null, s: 'say "hi",\nnew line', b: null, flag: null, dt: null, day: null, ts: null, tags: null, attrs: null, st: null },
];

function ndjson(rows: object[]): string {
  return rows.map((r) => `${JSON.stringify(r)}\n`).join('');
}

/** The canonical view of a table: its NDJSON download, sorted by id. */
function byId(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return [...rows].sort((a, b) => String(a["id"]).localeCompare(String(b["id"])));
}

async function snapshot(table: string): Promise<Record<string, unknown>[]> {
  const r = await odps(['download', table, '--format', 'ndjson']);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>).sort((a, b) => String(a['id']).localeCompare(String(b['id'])));
}

beforeAll(async () => {
  await ensureBuilt();
  emu = await startEmulator({ port: 0, logger: {} });
  env = { ...baseEnv(tempDir()), ...emulatorEnv(emu) };
  dir = tempDir();
  for (const t of ['rt_src', 'rt_csv', 'rt_ndjson', 'rt_arrow', 'rt_tsv', 'rt_semi']) {
    const r = await odps(['sql', `create table ${t} (${COLUMNS})`]);
    expect(r.code, r.stderr).toBe(0);
  }
  writeFileSync(path.join(dir, 'source.ndjson'), ndjson(SOURCE_ROWS));
  const up = await odps(['upload', 'rt_src', '-i', 'source.ndjson']);
  expect(up.code, up.stderr).toBe(0);
}, 180_000);

afterAll(async () => {
  await emu?.close();
});

describe('round trips', () => {
  it('the uploaded NDJSON comes back exactly', async () => {
    expect(await snapshot('rt_src')).toEqual(byId(SOURCE_ROWS));
  });

  for (const format of ['csv', 'ndjson', 'arrow'] as const) {
    it(`${format}: download then upload gives the same rows`, async () => {
      const file = `rt.${format}`;
      const down = await odps(['download', 'rt_src', '--format', format, '-o', file]);
      expect(down.code, down.stderr).toBe(0);
      expect(down.stdout).toBe('');
      expect(down.stderr).toBe('');
      const up = await odps(['upload', `rt_${format}`, '-i', file]);
      expect(up.code, up.stderr).toBe(0);
      expect(await snapshot(`rt_${format}`)).toEqual(byId(SOURCE_ROWS));
    });
  }

  it.each([['tab', 'rt_tsv', '\t'], [';', 'rt_semi', ';']])('--delimiter %s: download then upload gives the same rows', async (delim, table, sep) => {
    const file = `${table}.txt`;
    const down = await odps(['download', 'rt_src', '--format', 'csv', '--delimiter', delim, '-o', file]);
    expect(down.code, down.stderr).toBe(0);
    const text = readFileSync(path.join(dir, file), 'utf8');
    expect(text.split('\r\n')[0]).toBe(['id', 'i', 'd', 'amount', 's', 'b', 'flag', 'dt', 'day', 'ts', 'tags', 'attrs', 'st'].join(sep));
    expect(text).toContain(`${sep}"[""a"",""b,c""]"${sep}`);
    const up = await odps(['upload', table, '-i', file, '--format', 'csv', '--delimiter', delim]);
    expect(up.code, up.stderr).toBe(0);
    expect(await snapshot(table)).toEqual(byId(SOURCE_ROWS));
    const sql = await odps(['sql', 'select 1 as a, 2 as b', '--format', 'csv', '--delimiter', delim]);
    expect(sql.stdout).toBe(`a${sep}b\r\n1${sep}2\r\n`);
  });

  it('quotes a field holding the separator, and a comma no longer needs quotes', () => {
    expect(csvLine(['a,b', 'c\td', null, ''], '\t')).toBe('a,b\t"c\td"\t\t""\r\n');
    expect(csvLine(['a;b', 'x,y'], ';')).toBe('"a;b";x,y\r\n');
    expect(csvLine(['a]b', 'c^d'], ']')).toBe('"a]b";c^d\r\n'.replace(';', ']'));
  });

  it.each(['', ',,', '"', '\n'])('--delimiter %j is refused with exit 2', async (bad) => {
    const r = await odps(['download', 'rt_src', '--format', 'csv', '--delimiter', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--delimiter must be one character');
  });

  it('CSV keeps NULL and the empty string apart and quotes what needs it', async () => {
    const r = await odps(['download', 'rt_src', '--columns', 'id,s', '--format', 'csv']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\r\n');
    expect(lines[0]).toBe('id,s');
    expect(r.stdout).toContain('2,""\r\n');
    expect(r.stdout).toContain('3,"say ""hi"",\nnew line"\r\n');
  });
});

describe('download options', () => {
  it('--columns projects and orders, --limit caps, format follows the -o extension', async () => {
    const r = await odps(['download', 'ods_orders', '--partition', 'ds=20250102', '--columns', 'status,order_id', '--limit', '5', '-o', 'five.jsonl']);
    expect(r.code, r.stderr).toBe(0);
    const rows = readFileSync(path.join(dir, 'five.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(5);
    expect(Object.keys(rows[0] ?? {})).toEqual(['status', 'order_id']);
  });

  it('exits 2 for a partitioned table without --partition, an unknown extension, or a bad --limit', async () => {
    const a = await odps(['download', 'ods_orders', '-o', 'x.csv']);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('--partition');
    expect((await odps(['download', 'dim_customers', '-o', 'x.parquet'])).code).toBe(2);
    expect((await odps(['download', 'dim_customers', '--limit', '0'])).code).toBe(2);
  });

  it('exits 1 with a request id for a missing partition', async () => {
    const r = await odps(['download', 'ods_orders', '--partition', 'ds=19990101', '--format', 'csv']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/request id: \S+/);
  });
});

describe('upload options', () => {
  beforeAll(async () => {
    const r = await odps(['sql', 'create table up_part (id bigint, name string) partitioned by (ds string)']);
    expect(r.code, r.stderr).toBe(0);
  });

  it('--create-partition, append, then --overwrite replaces only that partition', async () => {
    writeFileSync(path.join(dir, 'p1.csv'), 'id,name\r\n1,a\r\n2,b\r\n');
    writeFileSync(path.join(dir, 'p2.csv'), 'NAME,ID\r\nz,9\r\n');
    expect((await odps(['upload', 'up_part', '-i', 'p1.csv', '--partition', 'ds=20250101', '--create-partition'])).code).toBe(0);
    expect((await odps(['upload', 'up_part', '-i', 'p1.csv', '--partition', 'ds=20250102', '--create-partition'])).code).toBe(0);
    expect((await odps(['upload', 'up_part', '-i', 'p1.csv', '--partition', 'ds=20250101'])).code).toBe(0);
    let r = await odps(['sql', 'select ds, count(*) as n from up_part group by ds order by ds']);
    expect(r.stdout).toBe('ds,n\r\n20250101,4\r\n20250102,2\r\n');
    const o = await odps(['upload', 'up_part', '-i', 'p2.csv', '--partition', 'ds=20250101', '--overwrite']);
    expect(o.code, o.stderr).toBe(0);
    r = await odps(['sql', 'select ds, id, name from up_part order by ds, id']);
    expect(r.stdout).toBe('ds,id,name\r\n20250101,9,z\r\n20250102,1,a\r\n20250102,2,b\r\n');
  });

  it('reads stdin with -i - and --format', async () => {
    const r = await odps(['upload', 'up_part', '-i', '-', '--format', 'ndjson', '--partition', 'ds=20250103', '--create-partition'], '{"id":"5","name":"stdin"}\n');
    expect(r.code, r.stderr).toBe(0);
    const d = await odps(['download', 'up_part', '--partition', 'ds=20250103', '--format', 'csv', '--no-header']);
    expect(d.stdout).toBe('5,stdin\r\n');
  });

  it('exits 2 naming the line and column for bad input, and commits nothing', async () => {
    writeFileSync(path.join(dir, 'bad.csv'), 'id,name\r\n1,ok\r\nnot-a-number,x\r\n');
    const r = await odps(['upload', 'up_part', '-i', 'bad.csv', '--partition', 'ds=20250104', '--create-partition']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad.csv line 3, column id');
    const d = await odps(['sql', "select count(*) as n from up_part where ds='20250104'"]);
    expect(d.stdout).toBe('n\r\n0\r\n');
    writeFileSync(path.join(dir, 'unknown.ndjson'), '{"id":"1","nope":2}\n');
    const u = await odps(['upload', 'up_part', '-i', 'unknown.ndjson', '--partition', 'ds=20250101']);
    expect(u.code).toBe(2);
    expect(u.stderr).toContain('"nope"');
  });

  it('exits 2 for a missing input file or missing -i', async () => {
    expect((await odps(['upload', 'dim_customers', '-i', 'nowhere.csv'])).code).toBe(2);
    expect((await odps(['upload', 'dim_customers'])).code).toBe(2);
  });
});
