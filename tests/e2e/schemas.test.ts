// End-to-end: schemas of a three-tier project (REST and SQL), tables in them, curr_schema, tunnel and head().
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AliyunAccount } from '@odps-ts/auth';
import { InvalidIdentifierError, NoSuchObjectError, ODPS, OdpsError, SqlError } from '@odps-ts/odps-client';
import { startEmulator, type Emulator } from '@odps-ts/emulator';

async function names<T extends { name: string }>(it: AsyncIterable<T>): Promise<string[]> {
  const out: string[] = [];
  for await (const x of it) out.push(x.name);
  return out;
}

describe('schemas in a three-tier project', () => {
  let emu: Emulator;
  let odps: ODPS;
  let inAna: ODPS;

  beforeAll(async () => {
    emu = await startEmulator({ port: 0, seed: false, namespaceSchema: true, pageSize: 2 });
    const base = { account: new AliyunAccount(emu.accessKeyId, emu.accessKeySecret), project: emu.project, endpoint: emu.endpoint, tunnelEndpoint: emu.tunnelEndpoint };
    odps = new ODPS(base);
    inAna = new ODPS({ ...base, schema: 'ana' });
  });
  afterAll(async () => {
    await odps?.close();
    await inAna?.close();
    await emu?.close();
  });

  it('creates, lists (across marker pages), gets and checks schemas over REST', async () => {
    const p = await odps.projects.get();
    expect(p.properties['odps.namespace.schema']).toBe('true');
    await odps.schemas.create('ana', { comment: 'analytics' });
    await odps.schemas.create('zeta');
    expect(await names(odps.schemas.list())).toEqual(['ana', 'default', 'zeta']);
    expect(await names(odps.schemas.list({ prefix: 'an' }))).toEqual(['ana']);
    expect(await odps.schemas.get('ana')).toMatchObject({ name: 'ana', description: 'analytics', project: emu.project, type: 'MANAGED' });
    expect(await odps.schemas.exists('ana')).toBe(true);
    expect(await odps.schemas.exists('nope')).toBe(false);
    await expect(odps.schemas.create('ana')).rejects.toBeInstanceOf(OdpsError);
    await odps.schemas.create('ana', { ifNotExists: true });
  });

  it('keeps tables of a schema apart and honours the client schema (curr_schema and SQL hints)', async () => {
    await inAna.tables.create('events', { columns: [{ name: 'id', type: 'bigint' }, { name: 'what', type: 'string' }] });
    await odps.tables.create('events', { columns: [{ name: 'id', type: 'bigint' }] });
    expect(await names(inAna.tables.list())).toEqual(['events']);
    expect((await inAna.tables.get('events')).schema.columns.map((c) => c.name)).toEqual(['id', 'what']);
    expect((await odps.tables.get('events')).schema.columns.map((c) => c.name)).toEqual(['id']);
    await odps.executeSql("INSERT INTO ana.events VALUES (1, 'via two-part name')");
    await inAna.executeSql("INSERT INTO events VALUES (2, 'via default schema')");
    const rows = (await (await inAna.executeSql('SELECT id, what FROM events ORDER BY id')).getResult()).rows;
    expect(rows).toEqual([[1n, 'via two-part name'], [2n, 'via default schema']]);
    const three = (await (await odps.executeSql(`SELECT count(*) AS n FROM ${emu.project}.ana.events`)).getResult()).rows;
    expect(three).toEqual([[2n]]);
  });

  it('reads and writes a schema table through the tunnel and head()', async () => {
    const t = await inAna.tables.get('events');
    const w = await t.openWriter();
    await w.write([[3n, 'via tunnel']]);
    await w.commit();
    const viaTunnel: unknown[][] = [];
    for await (const row of await t.openReader()) viaTunnel.push(row);
    expect(viaTunnel.map((r) => r[0])).toEqual([1n, 2n, 3n]);
    expect((await t.head(2)).rows).toEqual([[1n, 'via two-part name'], [2n, 'via default schema']]);
  });

  it('CREATE SCHEMA / SHOW SCHEMAS / DROP SCHEMA in SQL', async () => {
    await odps.executeSql("CREATE SCHEMA IF NOT EXISTS sql_made COMMENT 'from sql'");
    await odps.executeSql(`CREATE SCHEMA IF NOT EXISTS ${emu.project}.sql_made`);
    const shown = await (await odps.executeSql('SHOW SCHEMAS')).taskResults();
    expect(shown[0]!.text.trim().split('\n')).toEqual(['ana', 'default', 'sql_made', 'zeta']);
    expect((await odps.schemas.get('sql_made')).description).toBe('from sql');
    await odps.executeSql('CREATE TABLE sql_made.t (x STRING)');
    await expect(odps.executeSql('DROP SCHEMA sql_made')).rejects.toThrow(/not empty/);
    await odps.executeSql('DROP TABLE sql_made.t');
    await odps.executeSql('DROP SCHEMA sql_made');
    await odps.executeSql('DROP SCHEMA IF EXISTS sql_made');
    expect(await odps.schemas.exists('sql_made')).toBe(false);
  });

  it('deletes schemas over REST only when empty; default cannot go', async () => {
    await expect(odps.schemas.delete('ana')).rejects.toThrow(/not empty/);
    await odps.schemas.delete('zeta');
    await expect(odps.schemas.get('zeta')).rejects.toBeInstanceOf(NoSuchObjectError);
    await expect(odps.schemas.delete('zeta')).rejects.toBeInstanceOf(NoSuchObjectError);
    await expect(odps.schemas.delete('default')).rejects.toThrow(/cannot be dropped/);
  });

  it('refuses reserved, malformed and unknown schema names everywhere', async () => {
    let refused = 0;
    const hostile = ['__odps_meta', '__x', '_under', '1abc', 'a'.repeat(129)];
    for (const name of hostile) {
      await expect(odps.schemas.create(name)).rejects.toBeInstanceOf(OdpsError);
      await expect(odps.executeSql(`CREATE SCHEMA ${name}`)).rejects.toBeInstanceOf(SqlError);
      refused += 2;
    }
    for (const name of ['a-b', 'x;DROP', '', 'sp ace', '../x']) {
      await expect(odps.schemas.create(name)).rejects.toBeInstanceOf(InvalidIdentifierError);
      await expect(odps.schemas.delete(name)).rejects.toBeInstanceOf(InvalidIdentifierError);
      refused += 2;
    }
    expect(refused).toBe(20);
    expect(await names(odps.schemas.list())).toEqual(['ana', 'default']);
    await expect(odps.executeSql('CREATE TABLE nosuch.t (id BIGINT)')).rejects.toThrow(/ODPS-0110061/);
    await expect(odps.executeSql(`CREATE TABLE ${emu.project}.nosuch.t (id BIGINT)`)).rejects.toThrow(/ODPS-0110061/);
    await expect(odps.executeSql('USE nosuch')).rejects.toThrow(/ODPS-0110061/);
    await expect(names(odps.tables.list({ schema: 'nosuch' }))).rejects.toBeInstanceOf(NoSuchObjectError);
    // A raw POST with the reserved name, a missing name, another project, and no XML at all.
    for (const body of ['<Schema><Name>__odps_meta</Name></Schema>', '<Schema><Comment>x</Comment></Schema>', '<Schema><Name>okname</Name><Project>other</Project></Schema>', 'not xml <']) {
      const res = odps.transport.request({ method: 'POST', path: ['projects', emu.project, 'schemas'], headers: { 'Content-Type': 'application/xml' }, body });
      await expect(res).rejects.toBeInstanceOf(OdpsError);
    }
    expect(await odps.schemas.exists('okname')).toBe(false);
  });
});

describe('schemas in a two-tier project', () => {
  it('refuses to create schemas over REST and in SQL while odps.namespace.schema is false', async () => {
    const emu = await startEmulator({ port: 0, seed: false });
    const odps = new ODPS({ account: new AliyunAccount(emu.accessKeyId, emu.accessKeySecret), project: emu.project, endpoint: emu.endpoint });
    try {
      expect((await odps.projects.get()).properties['odps.namespace.schema']).toBe('false');
      await expect(odps.schemas.create('ana')).rejects.toMatchObject({ code: 'InvalidParameter' });
      await expect(odps.executeSql('CREATE SCHEMA ana')).rejects.toThrow(/three-tier/);
      expect((await names(odps.schemas.list()))).toEqual(['default']);
    } finally {
      await odps.close();
      await emu.close();
    }
  });
});
