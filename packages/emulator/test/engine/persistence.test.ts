// dataDir persistence: catalog, partitions (empty ones too), data and views survive close/reopen.
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Timestamp } from '@odps-ts/odps-client';
import { createEngine } from '../../src/engine/index.js';

describe('persistence', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('survives close and reopen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'odps-engine-'));
    dirs.push(dir);
    const e1 = await createEngine({ dataDir: dir, defaultOwner: 'ALIYUN$me' });
    await e1.execute('proj', "CREATE TABLE ev (id BIGINT, ts TIMESTAMP) COMMENT 'events' PARTITIONED BY (ds STRING) LIFECYCLE 5");
    await e1.execute('proj', "ALTER TABLE ev ADD PARTITION (ds='empty')");
    await e1.writeRows('proj', 'ev', [[1n, new Timestamp(1n, 2)]], { partition: { ds: 'full' }, createPartition: true });
    await e1.execute('proj', 'CREATE VIEW v AS SELECT id FROM ev');
    await e1.execute('proj', 'CREATE TABLE gone (a BIGINT); DROP TABLE gone');
    const created = e1.getTable('proj', 'ev')!.createTime;
    await e1.close();
    expect(existsSync(join(dir, 'emulator.duckdb'))).toBe(true);

    const e2 = await createEngine({ dataDir: dir });
    const t = e2.getTable('proj', 'ev')!;
    expect(t).toMatchObject({ comment: 'events', lifecycle: 5, owner: 'ALIYUN$me', partitionKeys: [{ name: 'ds', type: 'string' }] });
    expect(t.createTime).toEqual(created);
    expect(e2.listPartitions('proj', 'ev').map((p) => [p.spec.ds, p.recordCount])).toEqual([['empty', 0], ['full', 1]]);
    expect(await e2.readRows('proj', 'ev', { partition: { ds: 'full' } })).toEqual([[1n, new Timestamp(1n, 2)]]);
    expect((await e2.execute('proj', 'SELECT * FROM v')).rows).toEqual([[1n]]);
    expect(e2.getTable('proj', 'gone')).toBeUndefined();
    expect(e2.listTables('proj').map((x) => x.name)).toEqual(['ev', 'v']);
    await e2.close();
  });
});
