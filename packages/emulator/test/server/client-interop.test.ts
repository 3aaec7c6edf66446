import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AliyunAccount, StsAccount } from '@odps-ts/auth';
import { ODPS, SqlError } from '@odps-ts/odps-client';
import { request } from 'undici';
import { startEmulator, type Emulator } from '../../src/index.js';
import { fakeEngine } from './helpers.js';

describe('@odps-ts/odps-client against the emulator', () => {
  let emu: Emulator;
  let odps: ODPS;
  beforeAll(async () => {
    emu = await startEmulator({ engine: fakeEngine(), pageSize: 7 });
    odps = new ODPS({ account: new AliyunAccount(emu.accessKeyId, emu.accessKeySecret), project: emu.project, endpoint: emu.endpoint });
  });
  afterAll(async () => {
    await odps.close();
    await emu.close();
  });

  it('lists every table across pages and reads table meta', async () => {
    const names: string[] = [];
    for await (const t of odps.tables.list()) names.push(t.name);
    expect(names).toHaveLength(26);
    const table = await odps.tables.get('sales');
    expect(table.schema.partitionColumns.map((c) => c.name)).toEqual(['ds', 'region']);
    expect(await odps.tables.exists('nope')).toBe(false);
  });

  it('executes SQL and reads the CSV result', async () => {
    const inst = await odps.executeSql('select id, name, ts from t;');
    const result = await inst.getResult();
    expect(result.rows).toHaveLength(3);
    expect(result.rows[0]?.[0]).toBe(1n);
    expect(result.rows[1]?.[1]).toBe('has,comma "and" quotes');
    expect(result.rows[1]?.[2]).toBeNull();
  });

  it('raises SqlError for failed SQL', async () => {
    await expect(odps.executeSql('selec 1;')).rejects.toBeInstanceOf(SqlError);
  });

  it('discovers the tunnel endpoint and builds a logview URL', async () => {
    expect(await odps.tunnelEndpoint()).toBe(emu.tunnelEndpoint);
    const inst = await odps.executeSql('select 1;');
    const url = await odps.logviewUrl(inst);
    expect(url.startsWith(`${emu.tunnelEndpoint}/logview`)).toBe(true);
    const page = await request(url);
    expect(page.statusCode).toBe(200);
    expect(await page.body.text()).toContain(inst.id);
  });

  it('retries an idempotent GET through injected 503s', async () => {
    emu.faults.set({ status: 503, count: 2, path: '/tables/t01' });
    const t = await odps.tables.get('t01');
    expect(t.name).toBe('t01');
    expect(emu.faults.list()).toEqual([]);
  });

  it('signs with v4 and with STS credentials from the credentials URI', async () => {
    const v4 = new ODPS({
      account: new AliyunAccount(emu.accessKeyId, emu.accessKeySecret, { region: 'cn-shanghai', signatureVersion: 'v4' }),
      project: emu.project,
      endpoint: emu.endpoint,
    });
    expect(await v4.tables.exists('t02')).toBe(true);
    await v4.close();
    const c = (await (await request(emu.credentialsUri)).body.json()) as Record<string, string>;
    const sts = new ODPS({
      account: new StsAccount(c['AccessKeyId'] as string, c['AccessKeySecret'] as string, c['SecurityToken'] as string),
      project: emu.project,
      endpoint: emu.endpoint,
    });
    expect(await sts.tables.exists('t02')).toBe(true);
    await sts.close();
  });
});
