// Quota routes and the per-task quota answer: shapes the client parses, paging, and 404s for unknown names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/index.js';
import { call, fakeEngine, sqlJob, xmlText } from './helpers.js';

describe('emulator quotas', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ engine: fakeEngine() });
  });
  afterAll(async () => {
    await emu.close();
  });

  it('lists and gets the default quota with the fields PyODPS Quota reads', async () => {
    const list = await call(emu, 'GET', '/quotas?expectmarker=true&version=wlm&project=demo&maxitems=1');
    expect(list.status).toBe(200);
    expect(list.text).toMatch(/<Quotas><Quota>.*<Nickname>default<\/Nickname>.*<\/Quota><Marker><\/Marker><MaxItems>1<\/MaxItems><\/Quotas>/s);
    const one = await call(emu, 'GET', '/quotas/default?project=demo&version=wlm');
    expect(xmlText(one.text, 'Status')).toBe('ON');
    expect(xmlText(one.text, 'CreateTimeMs')).toMatch(/^\d{13}$/);
  });

  it('answers 404 for an unknown quota or project, 400 for a bad maxitems', async () => {
    for (const [path, status, code] of [
      ['/quotas/nope?project=demo', 404, 'NoSuchObject'],
      ['/quotas?project=no_such_project', 404, 'NoSuchProject'],
      ['/quotas/default?project=no_such_project', 404, 'NoSuchProject'],
      ['/quotas?maxitems=0', 400, 'InvalidArgument'],
      ['/quotas?maxitems=x', 400, 'InvalidArgument'],
    ] as const) {
      const res = await call(emu, 'GET', path);
      expect(res.status, path).toBe(status);
      expect(xmlText(res.text, 'Code'), path).toBe(code);
    }
  });

  it('?instancequota names the quota hint (else default); an unknown task is 404', async () => {
    const sub = await call(emu, 'POST', '/projects/demo/instances', { body: sqlJob('select 1;', { settings: { 'odps.task.wlm.quota': 'q7' } }) });
    const id = (sub.headers['location'] as string).split('/').at(-1)!;
    const res = await call(emu, 'GET', `/projects/demo/instances/${id}?instancequota&taskname=AnonymousSQLTask`);
    expect(JSON.parse(res.text)).toMatchObject({ instanceId: id, taskName: 'AnonymousSQLTask', quotaName: 'q7' });
    const missing = await call(emu, 'GET', `/projects/demo/instances/${id}?instancequota&taskname=Nope`);
    expect(missing.status).toBe(404);
    const summary = await call(emu, 'GET', `/projects/demo/instances/${id}?instancesummary&taskname=AnonymousSQLTask`);
    expect(JSON.parse(JSON.parse(summary.text).Instance.JsonSummary).Cost).toEqual({ CPU: 0, Memory: 0, Input: 0 });
  });
});
