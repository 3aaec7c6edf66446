// `odps upsert` (CSV/NDJSON by primary key, --delete-column) and `odps upload --stream` through the built binary.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@odps-ts/emulator';
import { ensureBuilt } from './helpers/build.js';
import { baseEnv, emulatorEnv, runCli, tempDir, type CliResult } from './helpers/run-cli.js';

let emu: Emulator;
let env: Record<string, string>;
let dir: string;
const odps = (args: string[], input?: string): Promise<CliResult> => runCli(args, { env, cwd: dir, ...(input !== undefined ? { input } : {}) });
const rows = async (q: string): Promise<string> => {
  const r = await odps(['sql', q, '--format', 'csv']);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.replace(/\r\n/g, '\n').trim();
};

beforeAll(async () => {
  await ensureBuilt();
  emu = await startEmulator({ port: 0, logger: {} });
  env = { ...baseEnv(tempDir()), ...emulatorEnv(emu) };
  dir = tempDir();
  for (const q of [
    `create table cu_pk (id bigint not null primary key, name string) tblproperties ('transactional'='true')`,
    `create table cu_part (id bigint not null primary key, v string) partitioned by (ds string) tblproperties ('transactional'='true')`,
    'create table cu_plain (id bigint, name string)',
    'create table cu_stream (id bigint, name string)',
  ]) {
    const r = await odps(['sql', q]);
    expect(r.code, r.stderr).toBe(0);
  }
}, 180_000);

afterAll(async () => {
  await emu?.close();
});

describe('odps upsert', () => {
  it('upserts CSV, then updates and deletes by key from NDJSON with --delete-column', async () => {
    writeFileSync(path.join(dir, 'a.csv'), 'id,name\n1,one\n2,two\n3,three\n');
    const a = await odps(['upsert', 'cu_pk', '-i', 'a.csv']);
    expect(a.code, a.stderr).toBe(0);
    writeFileSync(path.join(dir, 'b.ndjson'), '{"id":"2","name":"TWO"}\n{"id":3,"gone":true}\n{"id":4,"name":"four","gone":false}\n');
    const b = await odps(['upsert', 'cu_pk', '-i', 'b.ndjson', '--delete-column', 'gone']);
    expect(b.code, b.stderr).toBe(0);
    expect(await rows('select id, name from cu_pk order by id')).toBe('id,name\n1,one\n2,TWO\n4,four');
  });

  it('writes one partition and needs --partition on a partitioned table', async () => {
    writeFileSync(path.join(dir, 'p.csv'), 'id,v\n1,x\n');
    const missing = await odps(['upsert', 'cu_part', '-i', 'p.csv']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/--partition/);
    const ok = await odps(['upsert', 'cu_part', '-i', 'p.csv', '--partition', 'ds=d1']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(await rows(`select id, v, ds from cu_part`)).toBe('id,v,ds\n1,x,d1');
  });

  it('fails cleanly: no primary key, a missing key value, a bad value, a --delete-column that is a table column', async () => {
    writeFileSync(path.join(dir, 'c.csv'), 'id,name\n1,x\n');
    const plain = await odps(['upsert', 'cu_plain', '-i', 'c.csv']);
    expect(plain.code).not.toBe(0);
    expect(plain.stderr).toMatch(/primary key/);
    writeFileSync(path.join(dir, 'nokey.csv'), 'id,name\n9,ok\n,missing\n');
    const nokey = await odps(['upsert', 'cu_pk', '-i', 'nokey.csv']);
    expect(nokey.code).not.toBe(0);
    expect(nokey.stderr).toMatch(/id/);
    writeFileSync(path.join(dir, 'bad.csv'), 'id,name\nx1,ok\n');
    const bad = await odps(['upsert', 'cu_pk', '-i', 'bad.csv']);
    expect(bad.code).not.toBe(0);
    const clash = await odps(['upsert', 'cu_pk', '-i', 'c.csv', '--delete-column', 'name']);
    expect(clash.code).not.toBe(0);
    expect(clash.stderr).toMatch(/delete-column/);
    // None of the failed runs applied anything (9 was before the bad row, in the same aborted session).
    expect(await rows('select id, name from cu_pk order by id')).toBe('id,name\n1,one\n2,TWO\n4,four');
  });
});

describe('odps upload --stream', () => {
  it('appends rows through a stream session; refuses --overwrite and lz4', async () => {
    writeFileSync(path.join(dir, 's.csv'), 'id,name\n1,a\n2,b\n');
    const r = await odps(['upload', 'cu_stream', '-i', 's.csv', '--stream']);
    expect(r.code, r.stderr).toBe(0);
    const again = await odps(['upload', 'cu_stream', '-i', 's.csv', '--stream', '--compress', 'deflate']);
    expect(again.code, again.stderr).toBe(0);
    expect(await rows('select count(*) as n from cu_stream')).toBe('n\n4');
    const ow = await odps(['upload', 'cu_stream', '-i', 's.csv', '--stream', '--overwrite']);
    expect(ow.code).not.toBe(0);
    expect(ow.stderr).toMatch(/overwrite/);
    const lz = await odps(['upload', 'cu_stream', '-i', 's.csv', '--stream', '--compress', 'lz4']);
    expect(lz.code).not.toBe(0);
    expect(await rows('select count(*) as n from cu_stream')).toBe('n\n4');
  });
});
