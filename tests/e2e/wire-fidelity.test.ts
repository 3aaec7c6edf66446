// End-to-end: the client against the emulator on what the service answers and the SDKs do with it (extended meta, fallbacks, instance extras).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ODPS } from '@odps-ts/odps-client';
import type { Emulator } from '@odps-ts/emulator';
import { startEmulatorClient, type EmulatorClient } from '../support/emulator-client.js';

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('wire fidelity: client against the emulator', () => {
  let emu: Emulator;
  let odps: ODPS;
  let env: EmulatorClient | undefined;

  beforeAll(async () => {
    env = await startEmulatorClient();
    ({ emu, odps } = env);
    await odps.executeSql('CREATE TABLE fid_t (id BIGINT, s STRING) PARTITIONED BY (ds STRING)');
    await odps.executeSql("INSERT INTO fid_t PARTITION (ds='1') VALUES (1, 'a'), (2, 'b')");
    await odps.executeSql('CREATE VIEW fid_v AS SELECT id FROM fid_t');
  }, 60_000);
  afterAll(async () => {
    await env?.close();
  });

  it('a plain get leaves transactional unknown; extended merges the ?extended answer and keeps the columns', async () => {
    const plain = await odps.tables.get('fid_t');
    expect(plain.transactional).toBeUndefined();
    expect(plain.primaryKey).toBeUndefined();
    expect(plain.extendedLoaded).toBe(false);
    const ext = await odps.tables.get('fid_t', { extended: true });
    expect(ext.schema.columns.map((c) => c.name)).toEqual(['id', 's']);
    expect(ext.schema.partitionColumns.map((c) => c.name)).toEqual(['ds']);
    expect(ext).toMatchObject({ transactional: false, primaryKey: [], isArchived: false, fileNum: 1, extendedLoaded: true });
    expect(ext.physicalSize).toBeGreaterThan(0);
    await plain.loadExtendedInfo();
    expect(plain).toMatchObject({ transactional: false, fileNum: 1, extendedLoaded: true });
  });

  it('partitions.get({ extended }) merges the extended keys over the plain ones', async () => {
    const t = await odps.tables.get('fid_t');
    const p = await t.partitions.get({ ds: '1' }, { extended: true });
    expect(p).toMatchObject({ recordNum: 2, isArchived: false, isExstore: false, fileNum: 1 });
    expect(p.creationTime).toBeInstanceOf(Date);
    expect((await t.partitions.get({ ds: '1' })).fileNum).toBeUndefined();
  });

  it('list({ type }) reports the type although the plain list does not send it', async () => {
    const views = await collect(odps.tables.list({ type: 'VIRTUAL_VIEW', prefix: 'fid_' }));
    expect(views.map((v) => [v.name, v.type])).toEqual([['fid_v', 'VIRTUAL_VIEW']]);
    const plain = await collect(odps.tables.list({ prefix: 'fid_' }));
    expect(plain.map((v) => [v.name, v.type, v.creationTime])).toEqual([['fid_t', undefined, undefined], ['fid_v', undefined, undefined]]);
    const ext = await collect(odps.tables.list({ prefix: 'fid_', extended: true }));
    expect(ext.map((v) => v.type)).toEqual(['MANAGED_TABLE', 'VIRTUAL_VIEW']);
  });

  it('openReader on instances without a result set falls back to ?result silently', async () => {
    for (const sql of ['DESC fid_t', 'SHOW TABLES', "ALTER TABLE fid_t ADD IF NOT EXISTS PARTITION (ds='2')"]) {
      const inst = await odps.executeSql(sql);
      const reader = inst.openReader();
      const rows = await collect(reader);
      const text = [...(reader.columns ?? []).map((c) => c.name), ...rows.flat()].join('\n');
      if (sql === 'SHOW TABLES') expect(text).toContain(':fid_t');
      if (sql === 'DESC fid_t') expect(text).toContain('Owner:');
    }
    const failed = await odps.runSql('SELECT nope FROM fid_t');
    await expect(failed.waitForSuccess()).rejects.toMatchObject({ name: 'SqlError' });
    await expect(collect(failed.openReader())).rejects.toMatchObject({ name: 'SqlError' });
  });
  it('instances: stop after termination resolves false; queueing info; service-style stage ids', async () => {
    const inst = await odps.executeSql('SELECT COUNT(*) FROM fid_t');
    expect(await inst.stop()).toBe(false);
    const info = await inst.queueingInfo();
    expect(info).toMatchObject({ instanceId: inst.id, project: emu.project, status: 'Terminated', taskType: 'SQL' });
    expect(info.startTime).toBeInstanceOf(Date);
    expect(Math.abs(info.startTime!.getTime() - Date.now())).toBeLessThan(600_000);
    const queued = await collect(odps.instances.queueing({ status: 'Terminated' }));
    expect(queued.map((q) => q.instanceId)).toContain(inst.id);
    expect((await collect(odps.instances.queueing())).map((q) => q.instanceId)).not.toContain(inst.id);
    const stages = await inst.taskProgress();
    expect(stages.map((st) => st.id)).toEqual(['M1_Stg1_job0']);
  });

  it('logview tokens carry their expiry where PyODPS reads it; project ?extended has ExtendedProperties', async () => {
    const inst = await odps.executeSql('SELECT 1');
    const url = new URL(await inst.logviewUrl({ hours: 2 }));
    const token = url.searchParams.get('token') ?? '';
    const expiry = Number(Buffer.from(token, 'base64').toString('utf8').split(',')[2]);
    expect(Math.abs(expiry - (Date.now() / 1000 + 7200))).toBeLessThan(120);
    const project = await odps.projects.get(emu.project, { extended: true });
    expect(project.extendedProperties).toMatchObject({ chargableAliveDataSize: '0' });
  });
});
