// End-to-end: projects.list, quotas, and what a finished instance ran and cost, through the client against the emulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ODPS } from '@odps-ts/odps-client';
import { NoSuchObjectError } from '@odps-ts/odps-client';
import type { Emulator } from '@odps-ts/emulator';
import { startEmulatorClient, type EmulatorClient } from '../support/emulator-client.js';

describe('admin calls through the client', () => {
  let emu: Emulator;
  let odps: ODPS;
  let env: EmulatorClient | undefined;

  beforeAll(async () => {
    env = await startEmulatorClient({ extraProjects: ['adm_b', 'adm_a', 'other'] });
    ({ emu, odps } = env);
  });
  afterAll(async () => {
    await env?.close();
  });

  it('projects.list pages through every project and filters by prefix', async () => {
    const all: string[] = [];
    for await (const p of odps.projects.list({ pageSize: 1 })) all.push(p.name);
    expect(all).toEqual([...new Set([emu.project, 'adm_b', 'adm_a', 'other'])].sort());
    const adm: string[] = [];
    for await (const p of odps.projects.list({ prefix: 'adm_' })) {
      adm.push(p.name);
      expect(p.defaultQuota).toBe('default');
    }
    expect(adm).toEqual(['adm_a', 'adm_b']);
  });

  it('quotas: the project default quota lists and loads; an unknown one is absent', async () => {
    const qs = [];
    for await (const q of odps.quotas.list()) qs.push(q);
    expect(qs.map((q) => q.nickname)).toEqual(['default']);
    const project = await odps.projects.get();
    const q = await odps.quotas.get(project.defaultQuota!);
    expect(q).toMatchObject({ nickname: 'default', status: 'ON', isEnabled: true });
    expect(await odps.quotas.exists('no_such_quota')).toBe(false);
    await expect(odps.quotas.get('no_such_quota')).rejects.toBeInstanceOf(NoSuchObjectError);
  });

  it('a finished instance reports its SQL text, quota, task cost and queueing/quota answers', async () => {
    const sql = "SELECT ']]>' AS x, 'it''s' AS y";
    const inst = await odps.executeSql(sql, { hints: { 'odps.task.wlm.quota': 'default' } });
    expect(await inst.sqlText()).toBe(`${sql};`);
    expect(await inst.quotaName()).toBe('default');
    const cost = await inst.taskCost();
    expect(cost).toEqual({ cpuCost: 0, memoryCost: 0, inputSize: 0 });
    expect(await inst.taskQuota()).toMatchObject({ quotaName: 'default', status: 'Success' });
    const plain = await odps.executeSql('SELECT 1');
    expect(await plain.quotaName()).toBeUndefined();
    expect(await plain.taskQuota()).toMatchObject({ quotaName: 'default' });
  });
});
