import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { NoSuchObjectError, OdpsArgumentError, OdpsError } from '../../src/errors.js';
import { parseSqlCost } from '../../src/resources/sql-cost.js';
import { collect, harness, type Seen } from '../odps/harness.js';

const META_HEADERS = {
  'x-odps-resource-type': 'py', 'x-odps-comment': 'c1', 'x-odps-owner': 'ALIYUN$o', 'x-odps-updator': 'ALIYUN$u',
  'x-odps-resource-size': '10', 'x-odps-resource-istemp': 'false', 'x-odps-creation-time': 'Mon, 13 Jan 2025 08:30:00 GMT',
  'last-modified': 'Tue, 14 Jan 2025 08:30:00 GMT', 'content-md5': 'abc',
};
const isMeta = (q: URLSearchParams) => q.has('meta');
const header = (s: Seen, name: string) => s.headers[name] ?? s.headers[name.toLowerCase()];

describe('resources (request bytes)', () => {
  let h: ReturnType<typeof harness>;
  afterEach(async () => h.close());

  it('creates a small file resource in one POST with the x-odps-resource-* headers, then reads the meta headers', async () => {
    h = harness();
    h.on('POST', '/projects/p1/resources', { status: 201 });
    h.on('GET', '/projects/p1/resources/lib.py', { headers: META_HEADERS }, { when: isMeta });
    const r = await h.odps.resources.create({ name: 'lib.py', type: 'py', file: Buffer.from('print(1)\n'), comment: 'c1' });
    const post = h.seen[0]!;
    expect(post.body).toBe('print(1)\n');
    expect([...post.query.keys()].sort()).toEqual(['curr_project']);
    expect(header(post, 'Content-Type')).toBe('application/octet-stream');
    expect(header(post, 'Content-Disposition')).toBe('attachment;filename=lib.py');
    expect(header(post, 'x-odps-resource-type')).toBe('py');
    expect(header(post, 'x-odps-resource-name')).toBe('lib.py');
    expect(header(post, 'x-odps-comment')).toBe('c1');
    expect(header(post, 'x-odps-resource-istemp')).toBeUndefined();
    expect(h.seen[1]!.query.get('meta')).toBe('');
    expect(r).toMatchObject({ name: 'lib.py', project: 'p1', type: 'py', comment: 'c1', owner: 'ALIYUN$o', lastUpdator: 'ALIYUN$u', size: 10, isTemp: false, contentMd5: 'abc' });
    expect(r.creationTime?.toISOString()).toBe('2025-01-13T08:30:00.000Z');
    expect(r.lastModifiedTime?.toISOString()).toBe('2025-01-14T08:30:00.000Z');
  });

  it('splits a file larger than partSize into temp parts (rIsPart) and merges them (rOpMerge, md5|names)', async () => {
    h = harness({ schema: 's1' });
    h.on('POST', '/projects/p1/resources', { status: 201 }, { times: 4 });
    h.on('GET', '/projects/p1/resources/big.txt', { headers: { ...META_HEADERS, 'x-odps-resource-type': 'file' } }, { when: isMeta });
    await h.odps.resources.create({ name: 'big.txt', type: 'file', file: Buffer.from('abcdefghij'), partSize: 4, temp: true, comment: 'big' });
    const [p0, p1, p2, merge] = h.seen as [Seen, Seen, Seen, Seen];
    expect([p0.body, p1.body, p2.body]).toEqual(['abcd', 'efgh', 'ij']);
    const names = [p0, p1, p2].map((p) => header(p, 'x-odps-resource-name'));
    expect(names[0]).toMatch(/^big\.txt\.part\.tmp\.\d{6}\.000000$/);
    expect(names[2]!.slice(0, -6)).toBe(names[0]!.slice(0, -6));
    expect(names[2]).toMatch(/\.000002$/);
    for (const p of [p0, p1, p2]) {
      expect(p.query.get('rIsPart')).toBe('true');
      expect(p.query.get('curr_schema')).toBe('s1');
      expect(header(p, 'x-odps-resource-istemp')).toBe('true');
      expect(header(p, 'x-odps-resource-type')).toBe('file');
      expect(header(p, 'Content-Disposition')).toBe(`attachment;filename=${header(p, 'x-odps-resource-name')}`);
    }
    expect(merge.query.get('rOpMerge')).toBe('true');
    expect(merge.query.get('rIsPart')).toBeNull();
    expect(header(merge, 'x-odps-resource-merge-total-bytes')).toBe('10');
    expect(header(merge, 'x-odps-resource-name')).toBe('big.txt');
    expect(header(merge, 'x-odps-resource-istemp')).toBe('true');
    expect(header(merge, 'x-odps-comment')).toBe('big');
    expect(merge.body).toBe(`${createHash('md5').update('abcdefghij').digest('hex')}|${names.join(',')}`);
  });

  it('updates with PUT on the resource path (and merges with PUT when in parts)', async () => {
    h = harness();
    h.on('POST', '/projects/p1/resources', { status: 201 }, { times: 2 });
    h.on('PUT', '/projects/p1/resources/u.bin', { status: 200 });
    h.on('GET', '/projects/p1/resources/u.bin', { headers: { ...META_HEADERS, 'x-odps-resource-type': 'file' } }, { when: isMeta });
    await h.odps.resources.update('u.bin', { type: 'file', file: Buffer.from('12345678'), partSize: 5 });
    expect(h.seen.map((s) => `${s.method} ${s.path}`)).toEqual(['POST /projects/p1/resources', 'POST /projects/p1/resources', 'PUT /projects/p1/resources/u.bin', 'GET /projects/p1/resources/u.bin']);
    expect(h.seen[2]!.query.get('rOpMerge')).toBe('true');
  });

  it('creates a table resource: text/plain, empty body, x-odps-copy-table-source with the partition', async () => {
    h = harness();
    h.on('POST', '/projects/p1/resources', { status: 201 });
    h.on('GET', '/projects/p1/resources/t_res', { headers: { 'x-odps-resource-type': 'table', 'x-odps-copy-table-source': "p1.sales partition(ds='1')" } }, { when: isMeta });
    const r = await h.odps.resources.create({ name: 't_res', type: 'table', table: 'sales', partition: { ds: '1' }, comment: 'tc' });
    const post = h.seen[0]!;
    expect(post.body).toBe('');
    expect(header(post, 'Content-Type')).toBe('text/plain');
    expect(header(post, 'x-odps-resource-type')).toBe('table');
    expect(header(post, 'x-odps-copy-table-source')).toBe("p1.sales partition(ds='1')");
    expect(header(post, 'x-odps-comment')).toBe('tc');
    expect(r.sourceTableName).toBe("p1.sales partition(ds='1')");
  });

  it('reads content window by window until x-odps-resource-has-remaining is false', async () => {
    h = harness();
    h.on('GET', '/projects/p1/resources/r.txt', (s) => {
      const off = Number(s.query.get('rOffset'));
      const text = 'abcdef'.slice(off, off + Number(s.query.get('rSize')));
      return { body: text, headers: { 'content-type': 'application/octet-stream', 'x-odps-resource-has-remaining': String(off + text.length < 6) } };
    }, { times: 2 });
    const chunks: Buffer[] = [];
    for await (const c of h.odps.resources.open('r.txt', { windowSize: 4 })) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('abcdef');
    expect(h.seen.map((s) => [s.query.get('rOffset'), s.query.get('rSize')])).toEqual([['0', '4'], ['4', '4']]);
    expect(header(h.seen[0]!, 'Content-Type')).toBe('application/octet-stream');
  });

  it('refuses a window that says "more" but is empty instead of looping', async () => {
    h = harness();
    h.on('GET', '/projects/p1/resources/r.txt', { body: '', headers: { 'x-odps-resource-has-remaining': 'true' } });
    const err = await h.odps.resources.open('r.txt').toArray().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OdpsError);
    expect((err as OdpsError).code).toBe('ResourceReadStalled');
  });

  it('lists with expectmarker/marker paging and maps a 404 to exists() false', async () => {
    h = harness();
    const page = (items: string, marker: string) => `<?xml version="1.0"?><Resources>${items}<Marker>${marker}</Marker><MaxItems>1</MaxItems></Resources>`;
    h.on('GET', '/projects/p1/resources', { body: page('<Resource><Name>a.jar</Name><ResourceType>JAR</ResourceType><ResourceSize>3</ResourceSize><CreationTime>Mon, 13 Jan 2025 08:30:00 GMT</CreationTime></Resource>', 'm1') }, { when: (q) => !q.has('marker') });
    h.on('GET', '/projects/p1/resources', { body: page('<Resource><Name>t</Name><ResourceType>TABLE</ResourceType><TableName>p1.t</TableName></Resource>', '') }, { when: (q) => q.get('marker') === 'm1' });
    h.on('GET', '/projects/p1/resources/gone', { status: 404, body: '<Error><Code>NoSuchObject</Code><Message>x</Message></Error>' }, { when: isMeta });
    const all = await collect(h.odps.resources.list({ prefix: 'a', pageSize: 1 }));
    expect(all).toMatchObject([{ name: 'a.jar', type: 'jar', size: 3 }, { name: 't', type: 'table', sourceTableName: 'p1.t' }]);
    expect(h.seen[0]!.query.get('expectmarker')).toBe('true');
    expect(h.seen[0]!.query.get('name')).toBe('a');
    expect(h.seen[0]!.query.get('maxitems')).toBe('1');
    expect(await h.odps.resources.exists('gone')).toBe(false);
  });

  it('refuses bad names, types and sources before any request', async () => {
    h = harness();
    const bad: (() => Promise<unknown>)[] = [
      () => h.odps.resources.create({ name: '', type: 'file', file: Buffer.from('x') }),
      () => h.odps.resources.create({ name: 'a/b', type: 'file', file: Buffer.from('x') }),
      () => h.odps.resources.create({ name: '..', type: 'file', file: Buffer.from('x') }),
      () => h.odps.resources.create({ name: 'x'.repeat(257), type: 'file', file: Buffer.from('x') }),
      () => h.odps.resources.create({ name: 'é\u2028', type: 'file', file: Buffer.from('x') }),
      () => h.odps.resources.create({ name: 'a', type: 'file', file: Buffer.from('x'), comment: 'line\r\nx-evil: 1' }),
      () => h.odps.resources.create({ name: 'a', type: 'dll' as 'file', file: Buffer.from('x') }),
      () => h.odps.resources.create({ name: 'a', type: 'file', file: Buffer.from('x'), partSize: 1.5 }),
      () => h.odps.resources.create({ name: 'a', type: 'table', table: '' }),
      () => h.odps.resources.create({ name: 'a', type: 'table', table: 'a.b.c.d' }),
      () => h.odps.resources.create({ name: 'a', type: 'table', table: 't', partition: {} }),
      () => h.odps.resources.get('a/b'),
      () => h.odps.resources.delete(''),
      () => h.odps.resources.open('r', { windowSize: 0 }).toArray(),
    ];
    for (const call of bad) expect(await call().catch((e: unknown) => e)).toBeInstanceOf(OdpsError);
    expect(h.seen).toEqual([]);
    expect(await bad[0]!().catch((e: unknown) => e)).toBeInstanceOf(OdpsArgumentError);
  });
});

describe('functions (request bytes)', () => {
  let h: ReturnType<typeof harness>;
  afterEach(async () => h.close());
  const FN = '<?xml version="1.0"?><Function><Alias>my_lower</Alias><Owner>ALIYUN$o</Owner><CreationTime>Mon, 13 Jan 2025 08:30:00 GMT</CreationTime><ClassType>com.x.Lower</ClassType><Resources><ResourceName>a.jar</ResourceName><ResourceName>p2/resources/b.py</ResourceName></Resources></Function>';

  it('creates with a Function XML body (Alias, ClassType, Resources/ResourceName) and reads it back', async () => {
    h = harness();
    h.on('POST', '/projects/p1/registration/functions', { status: 201 });
    h.on('GET', '/projects/p1/registration/functions/my_lower', { body: FN });
    const f = await h.odps.functions.create('my_lower', { classType: 'com.x.Lower', resources: ['a.jar', 'p2/resources/b.py'] });
    const post = h.seen[0]!;
    expect(header(post, 'Content-Type')).toBe('application/xml');
    expect(post.body).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<Function><Alias>my_lower</Alias><ClassType>com.x.Lower</ClassType><Resources><ResourceName>a.jar</ResourceName><ResourceName>p2/resources/b.py</ResourceName></Resources></Function>');
    expect(f).toMatchObject({ name: 'my_lower', owner: 'ALIYUN$o', classType: 'com.x.Lower', resources: ['a.jar', 'p2/resources/b.py'], isSqlFunction: false });
    expect(f.creationTime?.toISOString()).toBe('2025-01-13T08:30:00.000Z');
  });

  it('sends a SQL definition as IsSqlFunction + CDATA SqlDefinitionText; updates with PUT; deletes', async () => {
    h = harness();
    h.on('PUT', '/projects/p1/registration/functions/f1', { status: 200 });
    h.on('GET', '/projects/p1/registration/functions/f1', { body: '<Function><Alias>f1</Alias><IsSqlFunction>true</IsSqlFunction><SqlDefinitionText><![CDATA[x]]></SqlDefinitionText></Function>' });
    h.on('DELETE', '/projects/p1/registration/functions/f1', { status: 204 });
    const f = await h.odps.functions.update('f1', { sqlDefinition: "CREATE SQL FUNCTION f1(@a STRING) AS concat(@a, ']]>')" });
    expect(h.seen[0]!.body).toBe("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Function><Alias>f1</Alias><IsSqlFunction>true</IsSqlFunction><SqlDefinitionText><![CDATA[CREATE SQL FUNCTION f1(@a STRING) AS concat(@a, ']]]]><![CDATA[>')]]></SqlDefinitionText></Function>");
    expect(f).toMatchObject({ isSqlFunction: true, sqlDefinitionText: 'x' });
    await h.odps.functions.delete('f1');
    expect(h.seen[2]!.method).toBe('DELETE');
  });

  it('lists across pages; exists() is false on 404; bad names never reach the wire', async () => {
    h = harness();
    h.on('GET', '/projects/p1/registration/functions', { body: `<Functions>${FN.replace('<?xml version="1.0"?>', '')}<Marker>m</Marker></Functions>` }, { when: (q) => !q.has('marker') });
    h.on('GET', '/projects/p1/registration/functions', { body: '<Functions><Marker></Marker></Functions>' }, { when: (q) => q.get('marker') === 'm' });
    h.on('GET', '/projects/p1/registration/functions/nope', { status: 404, body: '<Error><Code>NoSuchObject</Code><Message>x</Message></Error>' }, { times: 2 });
    expect((await collect(h.odps.functions.list())).map((f) => f.name)).toEqual(['my_lower']);
    expect(h.seen[0]!.query.get('expectmarker')).toBe('true');
    expect(await h.odps.functions.exists('nope')).toBe(false);
    const n = h.seen.length;
    for (const name of ['', '1a', 'a-b', 'a b', 'x'.repeat(129), 'a;drop']) {
      expect(await h.odps.functions.create(name, { classType: 'c.D' }).catch((e: unknown) => e)).toBeInstanceOf(OdpsArgumentError);
    }
    expect(await h.odps.functions.create('ok', {}).catch((e: unknown) => e)).toBeInstanceOf(OdpsArgumentError);
    expect(await h.odps.functions.create('ok', { classType: 'c.D', resources: [''] }).catch((e: unknown) => e)).toBeInstanceOf(OdpsArgumentError);
    expect(h.seen.length).toBe(n);
    await expect(h.odps.functions.get('nope')).rejects.toBeInstanceOf(NoSuchObjectError);
  });
});

describe('SQL cost (request bytes)', () => {
  let h: ReturnType<typeof harness>;
  afterEach(async () => h.close());

  it('submits a SQLCost task named AnonymousSQLCostTask and parses Cost.SQL', async () => {
    h = harness();
    h.on('POST', '/projects/p1/instances', { status: 201, headers: { location: 'x/i9' } });
    h.on('GET', '/projects/p1/instances/i9', { body: '<Instance><Status>Terminated</Status></Instance>' }, { when: (q) => q.has('instancestatus') });
    h.on('GET', '/projects/p1/instances/i9', { body: '<Instance><Tasks><Task Type="SQLCost"><Name>AnonymousSQLCostTask</Name><Status>Success</Status></Task></Tasks></Instance>' }, { when: (q) => q.has('taskstatus') });
    h.on('GET', '/projects/p1/instances/i9', { body: '<Instance><Tasks><Task Type="SQLCost"><Name>AnonymousSQLCostTask</Name><Result Format="text"><![CDATA[{"Cost":{"SQL":{"Input":"1840","UDF":"2","Complexity":"1.5"}}}]]></Result></Task></Tasks></Instance>' }, { when: (q) => q.has('result') });
    const cost = await h.odps.estimateSqlCost('select * from t', { hints: { 'odps.sql.allow.fullscan': 'true' } });
    expect(cost).toMatchObject({ inputBytes: 1840, udfCount: 2, complexity: 1.5 });
    const body = h.seen[0]!.body;
    expect(body).toMatch(/<Tasks><SQLCost><Name>AnonymousSQLCostTask<\/Name><Config>.*<\/Config><Query><!\[CDATA\[select \* from t;\]\]><\/Query><\/SQLCost><\/Tasks>/);
    expect(body).not.toContain('<SQL>');
    expect(body).toContain('odps.sql.allow.fullscan');
  });
});

describe('SQL cost result parsing', () => {
  it('rejects cost results that are not the documented JSON', () => {
    for (const text of ['', 'not json', '{}', '{"Cost":{}}', '{"Cost":{"SQL":{"Input":"x"}}}', 'null', '[]']) {
      expect(() => parseSqlCost(text), text).toThrow(OdpsError);
    }
    expect(parseSqlCost('{"Cost":{"SQL":{"Input":12,"Complexity":"2.0"}}}')).toMatchObject({ inputBytes: 12, complexity: 2, udfCount: 0 });
  });
});
