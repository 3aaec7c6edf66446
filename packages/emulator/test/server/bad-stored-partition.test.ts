// A partition that breaks today's value rules, left in persisted state, must not break listing the table.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AliyunAccount } from '@odps-ts/auth';
import { ODPS } from '@odps-ts/odps-client';
import { startEmulator, type Emulator } from '../../src/index.js';
import { plantPartition } from '../support/plant-partition.js';
import { call } from './helpers.js';

const BAD = [{ ds: '1', hh: '' }, { ds: '1', hh: ' 7' }, { ds: 'x/y', hh: 'a=b' }];

describe('a bad partition in persisted state', () => {
  const dir = mkdtempSync(join(tmpdir(), 'odps-badpart-'));
  let emu: Emulator;
  let odps: ODPS;

  beforeAll(async () => {
    const first = await startEmulator({ port: 0, dataDir: dir, logger: {} });
    await first.engine.execute(first.project, 'CREATE TABLE bad_parts (v STRING) PARTITIONED BY (ds STRING, hh STRING)');
    await first.engine.execute(first.project, "INSERT INTO bad_parts PARTITION (ds='1', hh='08') VALUES ('good')");
    const project = first.project;
    await first.close();
    for (const spec of BAD) await plantPartition(dir, project, 'bad_parts', spec);
    emu = await startEmulator({ port: 0, dataDir: dir, logger: {} });
    odps = new ODPS({ account: new AliyunAccount(emu.accessKeyId, emu.accessKeySecret), project: emu.project, endpoint: emu.endpoint });
  });

  afterAll(async () => {
    await odps?.close();
    await emu?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the REST listing answers every partition, bad ones included', async () => {
    const r = await call(emu, 'GET', `/projects/${emu.project}/tables/bad_parts?partitions&expectmarker=true`);
    expect(r.status).toBe(200);
    expect(r.text.match(/<Partition>/g)).toHaveLength(4);
    const named = await call(emu, 'GET', `/projects/${emu.project}/tables/bad_parts?partitions&name=`);
    expect(named.status).toBe(200);
  });

  it('the client lists them and still reaches the good partition', async () => {
    const table = await odps.tables.get('bad_parts');
    const listed: string[] = [];
    for await (const p of table.partitions.list()) listed.push(p.spec.toString());
    expect(listed).toHaveLength(4);
    expect(listed).toContain("ds='1',hh='08'");
    expect(await table.partitions.exists({ ds: '1', hh: '08' })).toBe(true);
    const rows: unknown[] = [];
    for await (const row of await table.openReader({ partition: { ds: '1', hh: '08' } })) rows.push(row);
    expect(rows).toEqual([['good']]);
  });
});
