// End-to-end: resources (whole and multi-part uploads, streamed reads), functions (SQL-callable and UDFs),
// SQL cost estimates, and their persistence with a data directory.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AliyunAccount } from '@odps-ts/auth';
import { NoSuchObjectError, ODPS, OdpsArgumentError, OdpsError, SqlError } from '@odps-ts/odps-client';
import { startEmulator, type Emulator } from '@odps-ts/emulator';

function client(emu: Emulator): ODPS {
  return new ODPS({ account: new AliyunAccount(emu.accessKeyId, emu.accessKeySecret), project: emu.project, endpoint: emu.endpoint });
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

async function streamBytes(r: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe('resources, functions and SQL cost against the emulator', () => {
  let emu: Emulator;
  let odps: ODPS;

  beforeAll(async () => {
    emu = await startEmulator({ port: 0, pageSize: 2 });
    odps = client(emu);
  });
  afterAll(async () => {
    await odps?.close();
    await emu?.close();
  });

  describe('resources', () => {
    it('creates, reads, lists, updates and deletes a small file resource', async () => {
      const r = await odps.resources.create({ name: 'hello.txt', type: 'file', file: Buffer.from('hello world'), comment: 'greeting' });
      expect(r).toMatchObject({ name: 'hello.txt', type: 'file', size: 11, comment: 'greeting', isTemp: false });
      expect(r.creationTime).toBeInstanceOf(Date);
      expect((await r.read()).toString()).toBe('hello world');
      expect(await odps.resources.exists('hello.txt')).toBe(true);
      const updated = await odps.resources.update('hello.txt', { type: 'file', file: Buffer.from('bye') });
      expect(updated.size).toBe(3);
      expect(updated.comment).toBe('greeting');
      expect((await streamBytes(odps.resources.open('hello.txt'))).toString()).toBe('bye');
      await odps.resources.delete('hello.txt');
      expect(await odps.resources.exists('hello.txt')).toBe(false);
      await expect(odps.resources.get('hello.txt')).rejects.toBeInstanceOf(NoSuchObjectError);
    });

    it('uploads a few MB in parts and streams it back byte-equal, window by window', async () => {
      const data = randomBytes(3 * 1024 * 1024 + 12345);
      const r = await odps.resources.create({ name: 'big.bin', type: 'archive', file: Readable.from([data.subarray(0, 1000), data.subarray(1000)]), partSize: 512 * 1024 });
      expect(r.size).toBe(data.length);
      expect(r.type).toBe('archive');
      expect(r.contentMd5).toBe(createHash('md5').update(data).digest('hex'));
      const back = await streamBytes(r.open({ windowSize: 700 * 1024 }));
      expect(back.equals(data)).toBe(true);
      // The merge removed every temp part.
      const names = (await collect(odps.resources.list())).map((x) => x.name);
      expect(names.filter((n) => n.includes('.part.tmp.'))).toEqual([]);
      expect(names).toContain('big.bin');
    });

    it('uploads from a path and from a buffer larger than a part; reads from an offset', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'odps-res-'));
      try {
        const data = randomBytes(300_000);
        const path = join(dir, 'lib.py');
        writeFileSync(path, data);
        const a = await odps.resources.create({ name: 'lib.py', type: 'py', file: path, partSize: 100_000 });
        expect(a.size).toBe(data.length);
        expect((await a.read()).equals(data)).toBe(true);
        const b = await odps.resources.create({ name: 'lib2.jar', type: 'jar', file: data, partSize: 64 * 1024 });
        expect((await b.read({ offset: 299_990 })).equals(data.subarray(299_990))).toBe(true);
        // Exactly one part: a single request, no merge.
        const c = await odps.resources.create({ name: 'exact.bin', type: 'file', file: data.subarray(0, 1000), partSize: 1000 });
        expect((await c.read()).equals(data.subarray(0, 1000))).toBe(true);
        const empty = await odps.resources.create({ name: 'empty.txt', type: 'file', file: Buffer.alloc(0) });
        expect(empty.size).toBe(0);
        expect((await empty.read()).length).toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('creates a temp resource and a table resource with a partition', async () => {
      const t = await odps.resources.create({ name: 'tmp.txt', type: 'file', file: Buffer.from('x'), temp: true });
      expect(t.isTemp).toBe(true);
      const tr = await odps.resources.create({ name: 'sales_res', type: 'table', table: 'sales', partition: { ds: '20250101' } });
      expect(tr.type).toBe('table');
      expect(tr.sourceTableName).toBe(`${emu.project}.sales partition(ds='20250101')`);
      const listed = (await collect(odps.resources.list({ prefix: 'sales' })))[0];
      expect(listed).toMatchObject({ name: 'sales_res', type: 'table', sourceTableName: tr.sourceTableName });
    });

    it('lists across pages (page size 2) without repeats', async () => {
      for (const n of ['p1.txt', 'p2.txt', 'p3.txt', 'p4.txt', 'p5.txt']) await odps.resources.create({ name: n, type: 'file', file: Buffer.from(n) });
      const names = (await collect(odps.resources.list({ prefix: 'p' }))).map((r) => r.name);
      expect(names).toEqual(['p1.txt', 'p2.txt', 'p3.txt', 'p4.txt', 'p5.txt']);
    });

    it('answers typed errors for bad input and conflicts', async () => {
      await odps.resources.create({ name: 'dup.txt', type: 'file', file: Buffer.from('1') });
      const dup = await odps.resources.create({ name: 'dup.txt', type: 'file', file: Buffer.from('2') }).catch((e: unknown) => e);
      expect(dup).toBeInstanceOf(OdpsError);
      expect((dup as OdpsError).status).toBe(409);
      await expect(odps.resources.update('missing.txt', { type: 'file', file: Buffer.from('x') })).rejects.toBeInstanceOf(NoSuchObjectError);
      const bad: [string, () => Promise<unknown>][] = [
        ['empty name', () => odps.resources.create({ name: '', type: 'file', file: Buffer.from('x') })],
        ['slash in name', () => odps.resources.create({ name: 'a/b', type: 'file', file: Buffer.from('x') })],
        ['newline in name', () => odps.resources.create({ name: 'a\nb', type: 'file', file: Buffer.from('x') })],
        ['non-latin1 comment', () => odps.resources.create({ name: 'c.txt', type: 'file', file: Buffer.from('x'), comment: '注释' })],
        ['unknown type', () => odps.resources.create({ name: 'c.txt', type: 'exe' as 'file', file: Buffer.from('x') })],
        ['no file', () => odps.resources.create({ name: 'c.txt', type: 'file' } as never)],
        ['zero part size', () => odps.resources.create({ name: 'c.txt', type: 'file', file: Buffer.from('x'), partSize: 0 })],
        ['bad table', () => odps.resources.create({ name: 'c', type: 'table', table: 'a;drop' })],
        ['stream of numbers', () => odps.resources.create({ name: 'c.txt', type: 'file', file: Readable.from([1, 2, 3]) })],
        ['negative read offset', () => odps.resources.open('dup.txt', { offset: -1 }).toArray()],
      ];
      for (const [what, call] of bad) {
        const err = await call().catch((e: unknown) => e);
        expect(err, what).toBeInstanceOf(OdpsArgumentError);
      }
      expect(await odps.resources.exists('c.txt')).toBe(false);
      // A table resource for a table that does not exist is still accepted by name, as the header says.
      await expect(odps.resources.open('nope.txt').toArray()).rejects.toBeInstanceOf(NoSuchObjectError);
    });

    it('deletes the uploaded parts when a multi-part upload fails midway', async () => {
      async function* failing(): AsyncGenerator<Buffer> {
        yield randomBytes(5000);
        throw new Error('source broke');
      }
      await expect(odps.resources.create({ name: 'broken.bin', type: 'file', file: failing(), partSize: 1000 })).rejects.toThrow('source broke');
      const names = (await collect(odps.resources.list())).map((r) => r.name);
      expect(names.filter((n) => n.startsWith('broken.bin'))).toEqual([]);
    });
  });

  describe('functions', () => {
    it('registers a SQL function that SQL can call, lists, updates and deletes it', async () => {
      const f = await odps.functions.create('add_one', { sqlDefinition: 'CREATE SQL FUNCTION add_one(@a BIGINT) AS @a + 1' });
      expect(f).toMatchObject({ name: 'add_one', isSqlFunction: true, resources: [] });
      const inst = await odps.executeSql('select add_one(41) as x, ADD_ONE(add_one(1)) as y');
      // Literals have the engine's literal type; compare values.
      expect((await inst.getResult()).rows.map((r) => r.map(Number))).toEqual([[42, 3]]);
      await odps.functions.update('add_one', { sqlDefinition: 'CREATE SQL FUNCTION add_one(@a BIGINT, @b BIGINT) RETURNS BIGINT AS @a * @b' });
      expect((await (await odps.executeSql('select add_one(6, 7)')).getResult()).rows.map((r) => r.map(Number))).toEqual([[42]]);
      await odps.functions.delete('add_one');
      expect(await odps.functions.exists('add_one')).toBe(false);
      await expect(odps.executeSql('select add_one(1)')).rejects.toThrow(/ODPS-0130071.*Function add_one not found/);
    });

    it('registers a Java UDF with resources; calling it answers the semantic-analysis error', async () => {
      await odps.resources.create({ name: 'udf.jar', type: 'jar', file: Buffer.from('PK fake jar') });
      const f = await odps.functions.create('my_lower', { classType: 'com.example.Lower', resources: ['udf.jar'] });
      expect(f).toMatchObject({ name: 'my_lower', classType: 'com.example.Lower', resources: ['udf.jar'], isSqlFunction: false });
      expect(f.owner).toBeTruthy();
      const err = await odps.executeSql("select my_lower('A')").catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SqlError);
      expect(String((err as Error).message)).toMatch(/ODPS-0130071:\[1,8\].*my_lower is a UDF \(class com\.example\.Lower\)/);
      const names = (await collect(odps.functions.list())).map((x) => x.name);
      expect(names).toContain('my_lower');
    });

    it('refuses bad definitions with typed errors', async () => {
      const local: [string, () => Promise<unknown>][] = [
        ['bad name', () => odps.functions.create('1abc', { classType: 'x.Y' })],
        ['no class', () => odps.functions.create('f_no_class', {})],
        ['empty resource', () => odps.functions.create('f_bad_res', { classType: 'x.Y', resources: [''] })],
        ['empty sql', () => odps.functions.create('f_empty_sql', { sqlDefinition: ' ' })],
      ];
      for (const [what, call] of local) expect(await call().catch((e: unknown) => e), what).toBeInstanceOf(OdpsArgumentError);
      await expect(odps.functions.create('f_missing_res', { classType: 'x.Y', resources: ['nope.jar'] })).rejects.toBeInstanceOf(NoSuchObjectError);
      const server: string[] = [
        'select 1',
        'CREATE SQL FUNCTION f(@a BIGINT) AS @b + 1',
        'CREATE SQL FUNCTION f(a BIGINT) AS a',
        'CREATE SQL FUNCTION f(@a BIGINT) BEGIN RETURN @a; END',
        'CREATE SQL FUNCTION f(@a BIGINT, @a BIGINT) AS @a',
        'CREATE SQL FUNCTION f(@a BIGINT) AS',
      ];
      for (const def of server) {
        const err = await odps.functions.create('f_bad_sql', { sqlDefinition: def }).catch((e: unknown) => e);
        expect(err, def).toBeInstanceOf(OdpsError);
        expect((err as OdpsError).status, def).toBe(400);
      }
      await odps.functions.create('twice', { classType: 'x.Y' });
      expect(((await odps.functions.create('TWICE', { classType: 'x.Y' }).catch((e: unknown) => e)) as OdpsError).status).toBe(409);
    });

    it('bounds a recursive SQL function and checks the argument count', async () => {
      await odps.functions.create('loop_fn', { sqlDefinition: 'CREATE SQL FUNCTION loop_fn(@a BIGINT) AS abs(loop_fn(@a))' });
      await expect(odps.executeSql('select loop_fn(1)')).rejects.toThrow(/nests SQL functions deeper/);
      await odps.functions.create('two_args', { sqlDefinition: 'CREATE SQL FUNCTION two_args(@a BIGINT, @b BIGINT) AS @a + @b' });
      await expect(odps.executeSql('select two_args(1)')).rejects.toThrow(/expects 2 argument/);
      // A body passes the same function allow-list as any query: no DuckDB-only function through a definition.
      await odps.functions.create('sneaky', { sqlDefinition: "CREATE SQL FUNCTION sneaky(@a STRING) AS read_text('/etc/passwd')" });
      await expect(odps.executeSql("select sneaky('x')")).rejects.toThrow(/Function read_text not found/);
    });
  });

  describe('SQL cost', () => {
    it('estimates input bytes from table sizes, complexity and UDF count', async () => {
      await odps.executeSql('create table if not exists cost_t (a bigint, b string)');
      await odps.executeSql("insert into cost_t values (1, 'x'), (2, 'y'), (3, 'z')");
      await odps.functions.create('cost_fn', { sqlDefinition: 'CREATE SQL FUNCTION cost_fn(@a BIGINT) AS @a' });
      const one = await odps.estimateSqlCost('select a from cost_t');
      expect(one).toMatchObject({ inputBytes: 3 * 2 * 8, complexity: 1, udfCount: 0 });
      expect(one.raw).toEqual({ Cost: { SQL: { Input: '48', UDF: '0', Complexity: '1.0' } } });
      const join = await odps.estimateSqlCost('select cost_fn(x.a) from cost_t x join cost_t y on x.a = y.a where extract(year from getdate()) > 0');
      expect(join).toMatchObject({ inputBytes: 48, complexity: 2, udfCount: 1 });
      // Nothing ran: the table is unchanged.
      await odps.estimateSqlCost('insert into cost_t select * from cost_t');
      expect((await (await odps.executeSql('select count(*) from cost_t')).getResult()).rows).toEqual([[3n]]);
    });

    it('fails for a missing table with the table-not-found error', async () => {
      await expect(odps.estimateSqlCost('select * from no_such_table')).rejects.toThrow(/ODPS-0130131.*no_such_table/);
    });
  });
});

describe('resources and functions persist with a data directory', () => {
  it('survive an emulator restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'odps-reg-'));
    try {
      const data = randomBytes(200_000);
      let emu = await startEmulator({ port: 0, dataDir: dir, seed: false });
      let odps = client(emu);
      await odps.resources.create({ name: 'kept.bin', type: 'file', file: data, partSize: 50_000, comment: 'kept' });
      await odps.functions.create('kept_fn', { sqlDefinition: 'CREATE SQL FUNCTION kept_fn(@a STRING) AS concat(@a, \'!\')' });
      await odps.resources.create({ name: 'gone.txt', type: 'file', file: Buffer.from('x') });
      await odps.resources.delete('gone.txt');
      await odps.close();
      await emu.close();
      emu = await startEmulator({ port: 0, dataDir: dir, seed: false });
      odps = client(emu);
      try {
        const r = await odps.resources.get('kept.bin');
        expect(r).toMatchObject({ size: data.length, comment: 'kept' });
        expect((await r.read()).equals(data)).toBe(true);
        expect(await odps.resources.exists('gone.txt')).toBe(false);
        expect((await (await odps.executeSql("select kept_fn('hi')")).getResult()).rows).toEqual([['hi!']]);
      } finally {
        await odps.close();
        await emu.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
