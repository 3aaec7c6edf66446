// `-o` through the built binary: clear errors for unwritable paths, and no half-written file left
// behind when a command fails; plus -0.0 surviving an upload/download/SQL round trip.
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@odps-ts/emulator';
import { BIN, ensureBuilt } from './helpers/build.js';
import { baseEnv, emulatorEnv, runCli, tempDir, type CliResult } from './helpers/run-cli.js';

let emu: Emulator;
let env: Record<string, string>;
let dir: string;
const odps = (args: string[], input?: string): Promise<CliResult> => runCli(args, { env, cwd: dir, ...(input !== undefined ? { input } : {}) });
const isRoot = process.getuid?.() === 0;

beforeAll(async () => {
  await ensureBuilt();
  emu = await startEmulator({ port: 0, logger: {} });
  env = { ...baseEnv(tempDir()), ...emulatorEnv(emu) };
}, 120_000);

afterAll(async () => {
  await emu?.close();
});

beforeEach(() => {
  dir = tempDir('odps-out-');
});

describe('unwritable -o', () => {
  const cases: { name: string; args: (out: string) => string[] }[] = [
    { name: 'download csv', args: (out) => ['download', 'dim_customers', '--format', 'csv', '-o', out] },
    { name: 'download arrow', args: (out) => ['download', 'dim_customers', '--format', 'arrow', '-o', out] },
    { name: 'sql', args: (out) => ['sql', 'select id from dim_customers', '--format', 'csv', '-o', out] },
  ];

  for (const c of cases) {
    it(`${c.name}: a missing directory, a directory, a file under a file → exit 2 naming the path and reason`, async () => {
      writeFileSync(path.join(dir, 'plain'), 'x');
      const bad: [string, RegExp][] = [
        [path.join(dir, 'no', 'such', 'out.csv'), /directory .*no[/\\]such does not exist/],
        [dir, /it is a directory/],
        [path.join(dir, 'plain', 'out.csv'), /not a directory/],
      ];
      for (const [out, reason] of bad) {
        const r = await odps(c.args(out));
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr).toContain(`cannot write ${out}`);
        expect(r.stderr).toMatch(reason);
        expect(r.stderr).not.toMatch(/^\s+at |ENOENT|EISDIR|ENOTDIR/m);
        expect(r.stdout).toBe('');
      }
      expect(readdirSync(dir).sort()).toEqual(['plain']);
    });
  }

  it.skipIf(isRoot)('a read-only file → exit 2, file untouched', async () => {
    const out = path.join(dir, 'ro.csv');
    writeFileSync(out, 'old');
    chmodSync(out, 0o444);
    const r = await odps(['download', 'dim_customers', '-o', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cannot write ${out}: permission denied`);
    expect(readFileSync(out, 'utf8')).toBe('old');
  });

  it('a file that cannot be replaced or written, even by root (/proc/version) → exit 2 naming it', async () => {
    if (!existsSync('/proc/version')) return;
    const before = readFileSync('/proc/version', 'utf8');
    const r = await odps(['download', 'dim_customers', '--format', 'csv', '-o', '/proc/version']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^odps: error: cannot write \/proc\/version: (permission denied|input\/output error|operation not permitted)$/m);
    expect(readFileSync('/proc/version', 'utf8')).toBe(before);
  });

  it.each(['csv', 'ndjson', 'arrow'])('%s to /dev/full → exit 2 with "no space left on device"', async (format) => {
    if (!existsSync('/dev/full')) return;
    const r = await odps(['download', 'dim_customers', '--format', format, '-o', '/dev/full']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toBe('odps: error: cannot write /dev/full: no space left on device\n');
  });
});

describe('unwritable stdout', () => {
  it.each([['tables'], ['download', 'dim_customers', '--format', 'csv'], ['sql', 'select 1 as x']])('odps %s > /dev/full → exit 2, one clear line, no stack', async (...args) => {
    if (!existsSync('/dev/full')) return;
    const child = spawn('bash', ['-c', `"${process.execPath}" "${BIN}" ${args.join(' ').replace(/select 1 as x/, "'select 1 as x'")} > /dev/full`], { env, cwd: dir });
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, err).toBe(2);
    expect(err).toBe('odps: error: cannot write stdout: no space left on device\n');
  });
});

describe('no half-written file', () => {
  it('a download that fails mid-stream leaves no file and no temporary file', async () => {
    // Every tunnel read is cut after its first byte: the client's retries run out after the header is written.
    emu.faults.set({ method: 'GET', pathRegex: '^/projects/demo/(schemas/[^/]+/)?tables/dim_customers$', resetAfterBytes: 1 });
    try {
      const r = await odps(['download', 'dim_customers', '--format', 'csv', '-o', 'part.csv']);
      expect(r.code, r.stderr).toBe(1);
    } finally {
      emu.faults.clear();
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a failed download keeps an existing file as it was; a good one replaces it keeping its mode', async () => {
    const out = path.join(dir, 'keep.csv');
    writeFileSync(out, 'old contents');
    chmodSync(out, 0o640);
    const bad = await odps(['download', 'ods_orders', '--partition', 'ds=19990101', '--format', 'csv', '-o', out]);
    expect(bad.code).toBe(1);
    expect(readFileSync(out, 'utf8')).toBe('old contents');
    const good = await odps(['download', 'dim_customers', '--format', 'csv', '--limit', '2', '-o', out]);
    expect(good.code, good.stderr).toBe(0);
    expect(readFileSync(out, 'utf8').split('\r\n')[0]).toMatch(/^id,/);
    expect(statSync(out).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(['keep.csv']);
  });

  it('writing through a symlink replaces the target and keeps the link', async () => {
    mkdirSync(path.join(dir, 'real'));
    writeFileSync(path.join(dir, 'real', 'data.csv'), 'old');
    symlinkSync(path.join(dir, 'real', 'data.csv'), path.join(dir, 'link.csv'));
    const r = await odps(['sql', 'select 1 as x', '-o', 'link.csv']);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'real', 'data.csv'), 'utf8')).toBe('x\r\n1\r\n');
    expect(readdirSync(path.join(dir, 'real'))).toEqual(['data.csv']);
  });

  it('a failing query or a statement without a result writes no file', async () => {
    expect((await odps(['sql', 'select * from missing_table_o', '-o', 'q.csv'])).code).toBe(1);
    expect((await odps(['sql', 'create table if not exists out_ddl (a bigint)', '-o', 'ddl.csv'])).code).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('-0.0 end to end', () => {
  it('DOUBLE, FLOAT and ARRAY<DOUBLE> -0.0 come back as -0 from the tunnel', async () => {
    expect((await odps(['sql', 'create table nz (id bigint, d double, f float, a array<double>)'])).code).toBe(0);
    writeFileSync(path.join(dir, 'nz.csv'), 'id,d,f,a\r\n1,-0,-0.0,"[-0,0]"\r\n2,0,0,[]\r\n');
    const up = await odps(['upload', 'nz', '-i', 'nz.csv']);
    expect(up.code, up.stderr).toBe(0);
    const csv = await odps(['download', 'nz', '--format', 'csv']);
    expect(csv.stdout.split('\r\n').sort()).toEqual(['', '1,-0,-0,"[-0,0]"', '2,0,0,[]', 'id,d,f,a'].sort());
    const nd = await odps(['download', 'nz', '--format', 'ndjson']);
    const rows = nd.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; d: number; f: number; a: number[] });
    const one = rows.find((r) => r.id === '1');
    expect(Object.is(one?.d, -0) && Object.is(one?.f, -0) && Object.is(one?.a[0], -0)).toBe(true);
  });
});
