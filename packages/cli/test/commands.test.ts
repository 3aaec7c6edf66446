// Every metadata/SQL/instance command through the built binary against an in-process emulator.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@odps-ts/emulator';
import { ensureBuilt } from './helpers/build.js';
import { baseEnv, emulatorEnv, runCli, tempDir, type CliResult } from './helpers/run-cli.js';

let emu: Emulator;
let env: Record<string, string>;
const odps = (args: string[], extra: { input?: string; cwd?: string } = {}): Promise<CliResult> => runCli(args, { env, ...extra });

beforeAll(async () => {
  await ensureBuilt();
  emu = await startEmulator({ port: 0, logger: {} });
  env = { ...baseEnv(tempDir()), ...emulatorEnv(emu) };
}, 120_000);

afterAll(async () => {
  await emu?.close();
});

describe('odps tables', () => {
  it('lists tables as TSV off a TTY', async () => {
    const r = await odps(['tables']);
    expect(r.code).toBe(0);
    const names = r.stdout.trim().split('\n').map((l) => l.split('\t')[0]);
    expect(names).toEqual(['dim_customers', 'ods_events', 'ods_orders', 'v_daily_sales']);
    expect(r.stderr).toBe('');
  });

  it('filters by prefix and type, and prints JSON', async () => {
    const r = await odps(['tables', '--prefix', 'ods_', '--json']);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as { name: string; type: string; comment: string }[];
    expect(list.map((t) => t.name)).toEqual(['ods_events', 'ods_orders']);
    expect(list[1]).toMatchObject({ type: 'MANAGED_TABLE', comment: 'Raw orders' });
    const views = await odps(['tables', '--type', 'VIRTUAL_VIEW']);
    expect(views.stdout.trim().split('\n').map((l) => l.split('\t')[0])).toEqual(['v_daily_sales']);
  });

  it('rejects an unknown --type with exit 2', async () => {
    const r = await odps(['tables', '--type', 'BOGUS']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('BOGUS');
  });
});

describe('odps desc', () => {
  it('shows columns, partition keys and partitions', async () => {
    const r = await odps(['desc', 'ods_orders', '--partitions']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^amount\tdecimal\(18,2\)\t\torder total\t$/m);
    expect(r.stdout).toMatch(/^ds\tstring\t\torder day yyyymmdd\tpartition key$/m);
    expect(r.stdout).toMatch(/^ds='20250102'\t1000\t/m);
  });

  it('prints JSON with typed columns', async () => {
    const r = await odps(['desc', 'ods_events', '--json']);
    const j = JSON.parse(r.stdout) as { columns: { name: string; type: string }[]; partitionColumns: unknown[] };
    expect(j.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['event_id:bigint', 'payload:string', 'ts:timestamp', 'attrs:map<string,string>']);
    expect(j.partitionColumns).toEqual([]);
  });

  it('prints the text of a view (and viewText in JSON)', async () => {
    const create = await odps(['sql', 'create view v_desc_orders as select order_id, amount from ods_orders']);
    expect(create.code, create.stderr).toBe(0);
    const r = await odps(['desc', 'v_desc_orders']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\nselect order_id, amount from ods_orders\n$/i);
    const j = JSON.parse((await odps(['desc', 'v_desc_orders', '--json'])).stdout) as { viewText?: string };
    expect(j.viewText).toMatch(/select order_id, amount from ods_orders/i);
    // A table has no view text.
    expect((await odps(['desc', 'ods_events'])).stdout).not.toMatch(/select/i);
  });

  it('exits 1 with the server error and request id (once) for a missing table', async () => {
    const r = await odps(['desc', 'no_such_table']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no_such_table|NoSuch/i);
    expect(r.stderr).toMatch(/request id: \S+/);
    const id = /request id: (\S+)/.exec(r.stderr)![1]!;
    expect(r.stderr.split(id).length - 1).toBe(1);
  });

  it('exits 2 without the table argument', async () => {
    const r = await odps(['desc']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("missing required argument 'table'");
  });
});

describe('odps sql', () => {
  const q = 'select event_id, ts, attrs from ods_events where event_id <= 2 order by event_id';

  it('writes CSV by default off a TTY, with NULL as an empty field and "" as the empty string', async () => {
    const r = await odps(['sql', "select 1 as a, cast(null as string) as b, '' as c, 'x,y' as d"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('a,b,c,d\r\n1,,"","x,y"\r\n');
    expect(r.stderr).toBe('');
  });

  it('writes NDJSON and JSON with value-model types made JSON-safe', async () => {
    const nd = await odps(['sql', q, '--format', 'ndjson']);
    expect(nd.code).toBe(0);
    const lines = nd.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]?.['event_id']).toBe('1');
    expect(lines[0]?.['ts']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    expect(typeof lines[0]?.['attrs']).toBe('object');
    const js = await odps(['sql', q, '--format', 'json']);
    expect(JSON.parse(js.stdout)).toEqual(lines);
  });

  it('renders a boxed table with --format table', async () => {
    const r = await odps(['sql', 'select 1 as one', '--format', 'table']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('│ one │');
    expect(r.stdout).toContain('1 row');
  });

  it('reads -f file.sql with SET hints and --hint, and writes --output', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'q.sql');
    writeFileSync(file, 'SET odps.sql.type.system.odps2=true;\nselect count(*) as n from ods_orders where ds = \'20250101\';\n');
    const out = path.join(dir, 'out.csv');
    const r = await odps(['sql', '-f', file, '--hint', 'odps.sql.allow.fullscan=true', '--output', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe('n\r\n1000\r\n');
  });

  it('reads the query from stdin with -f -', async () => {
    const r = await odps(['sql', '-f', '-', '--no-header'], { input: 'select 42 as x' });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('42\r\n');
  });

  it('runs DDL/DML without printing data', async () => {
    const a = await odps(['sql', 'create table if not exists cli_ddl (id bigint, name string)']);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe('');
    const b = await odps(['sql', "insert into cli_ddl values (1, 'a'), (2, null)"]);
    expect(b.code).toBe(0);
    const c = await odps(['sql', 'select * from cli_ddl order by id', '--format', 'csv']);
    expect(c.stdout).toBe('id,name\r\n1,a\r\n2,\r\n');
  });

  it('exits 0 quietly when the reader closes stdout early (| head)', async () => {
    const { spawn } = await import('node:child_process');
    const { BIN } = await import('./helpers/build.js');
    // 3000 rows are far more than a pipe buffer, so the writes after `head` exits hit EPIPE.
    const script = `set -o pipefail; "${process.execPath}" "${BIN}" sql "select * from ods_orders" | head -n 1`;
    const child = spawn('bash', ['-c', script], { env });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out.trim()).toBe('order_id,customer_id,amount,status,created_at,tags,ds');
  });

  it('exits 1 with the ODPS error, instance id and no stdout for a failing query', async () => {
    const r = await odps(['sql', 'select * from missing_table_x']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('ODPS-0130131');
    expect(r.stderr).toMatch(/instance id: \S+/);
  });

  it('exits 2 for usage errors: no query, both query and -f, bad --hint, bad --format', async () => {
    for (const args of [['sql'], ['sql', 'select 1', '-f', 'x.sql'], ['sql', 'select 1', '--hint', 'novalue'], ['sql', 'select 1', '--format', 'xml']]) {
      const r = await odps(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.length).toBeGreaterThan(0);
    }
  });
});

describe('odps instances / instance', () => {
  let id = '';

  beforeAll(async () => {
    // A failed instance is kept by the server, with its id printed on stderr.
    const r = await odps(['sql', 'select * from still_missing']);
    id = /instance id: (\S+)/.exec(r.stderr)?.[1] ?? '';
  });

  it('lists instances with status, and --status filters', async () => {
    expect(id).not.toBe('');
    const r = await odps(['instances', '--status', 'Terminated', '--json']);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as { id: string; status: string }[];
    expect(list.some((i) => i.id === id)).toBe(true);
    expect(list.every((i) => i.status === 'Terminated')).toBe(true);
    const tsv = await odps(['instances', '--limit', '1']);
    expect(tsv.stdout.trim().split('\n')).toHaveLength(1);
    const running = await odps(['instances', '--status', 'Running', '--json']);
    expect(JSON.parse(running.stdout)).toEqual([]);
  });

  it('shows one instance and its failed task', async () => {
    const r = await odps(['instance', id, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { status: string; tasks: { name: string; status: string }[] };
    expect(j.status).toBe('Terminated');
    expect(j.tasks[0]?.status).toBe('Failed');
  });

  it('--wait exits 1 for a failed instance and 0 for a successful one', async () => {
    const failed = await odps(['instance', id, '--wait']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('ODPS-0130131');
    const ok = await odps(['sql', 'create table if not exists cli_wait (a bigint)']);
    expect(ok.code).toBe(0);
    const list = JSON.parse((await odps(['instances', '--json'])).stdout) as { id: string }[];
    const last = list[list.length - 1]?.id as string;
    const r = await odps(['instance', last, '--wait']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^status\tTerminated$/m);
  });

  it('--logview prints a logview URL with a token and --stop succeeds', async () => {
    const r = await odps(['instance', id, '--logview']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\/logview\/\?h=.+&p=demo&i=.+&token=.+/);
    const s = await odps(['instance', id, '--stop']);
    expect(s.code).toBe(0);
  });

  it('exits 1 for an unknown instance and 2 for conflicting flags', async () => {
    const r = await odps(['instance', '20990101000000000abcdefgh', '--json']);
    expect(r.code).toBe(1);
    const u = await odps(['instance', id, '--stop', '--logview']);
    expect(u.code).toBe(2);
  });
});

describe('help and usage', () => {
  it('prints --help for the program and every command (exit 0)', async () => {
    const top = await odps(['--help']);
    expect(top.code).toBe(0);
    for (const cmd of ['whoami', 'tables', 'desc', 'sql', 'download', 'upload', 'instances', 'instance', 'emulator', 'completion']) {
      expect(top.stdout).toContain(cmd);
      const r = await odps([cmd, '--help']);
      expect(r.code, cmd).toBe(0);
      expect(r.stdout).toContain(`Usage: odps ${cmd}`);
    }
  });

  it('exits 2 for an unknown command or option', async () => {
    expect((await odps(['frobnicate'])).code).toBe(2);
    expect((await odps(['tables', '--nope'])).code).toBe(2);
  });
});
