import { XMLParser } from 'fast-xml-parser';
import { afterEach, describe, expect, it } from 'vitest';
import { SqlError, WaitTimeoutError } from '../../src/errors.js';
import { Timestamp } from '../../src/types/index.js';
import { collect, harness } from '../odps/harness.js';

const TERMINATED = { body: '<Instance><Status>Terminated</Status></Instance>' };
const RUNNING = { body: '<Instance><Status>Running</Status></Instance>' };
const tasks = (status: string) => ({ body: `<Instance><Tasks><Task Type="SQL"><Name>AnonymousSQLTask</Name><Status>${status}</Status><StartTime>Mon, 13 Jan 2025 08:30:00 GMT</StartTime></Task></Tasks></Instance>` });
const isStatus = (q: URLSearchParams) => q.has('instancestatus');
const isTasks = (q: URLSearchParams) => q.has('taskstatus');
const isResult = (q: URLSearchParams) => q.has('result');

function resultXml(csv: string, columns: { Name: string; Type: string }[], base64 = false) {
  const text = base64 ? Buffer.from(csv).toString('base64') : csv;
  const desc = JSON.stringify({ IsSelect: true, SelectResultStatus: 'YES', Schema: { Columns: columns } });
  return `<?xml version="1.0" encoding="UTF-8"?><Instance><Tasks><Task Type="SQL"><Name>AnonymousSQLTask</Name><Result Format="text"${base64 ? ' Transform="Base64"' : ''}><![CDATA[${text}]]></Result><ResultDescriptor><![CDATA[${desc}]]></ResultDescriptor></Task></Tasks></Instance>`;
}

function timeoutCount(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

describe('instances', () => {
  let h: ReturnType<typeof harness>;
  afterEach(async () => h.close());

  it('submits the SQL job XML per rest.md §4.1 and reads the id from Location', async () => {
    h = harness({ defaultHints: { 'odps.sql.type.system.odps2': 'true' } });
    h.on('POST', '/projects/p1/instances', { status: 201, headers: { location: 'http://odps.test/api/projects/p1/instances/20250113083000000g' } });
    const sql = "-- hdr\nSET odps.sql.timezone=UTC;\nset a.b = 1 ;\nselect ']]>' as x";
    const inst = await h.odps.runSql(sql, { hints: { 'a.b': 2, flag: true }, priority: 3, name: 'job1' });
    expect(inst.id).toBe('20250113083000000g');
    const seen = h.seen[0]!;
    expect(seen.headers['Content-Type'] ?? seen.headers['content-type']).toBe('application/xml');
    expect(seen.body.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(seen.body).toContain("<![CDATA[select ']]]]><![CDATA[>' as x;]]>");
    const doc = new XMLParser({ parseTagValue: false, isArray: (n) => n === 'Property' }).parse(seen.body);
    const job = doc.Instance.Job;
    expect(job.Name).toBe('job1');
    expect(job.Priority).toBe('3');
    expect(job.Guid).toBeUndefined();
    expect(job.DAG.RunMode).toBe('Sequence');
    expect(job.Tasks.SQL.Name).toBe('AnonymousSQLTask');
    expect(job.Tasks.SQL.Query).toBe("select ']]>' as x;");
    const props = Object.fromEntries(job.Tasks.SQL.Config.Property.map((p: { Name: string; Value: string }) => [p.Name, p.Value]));
    expect(props.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(props.settings)).toEqual({ 'odps.sql.type.system.odps2': 'true', 'odps.sql.timezone': 'UTC', 'a.b': '2', flag: 'true' });
    expect(seen.query.get('curr_project')).toBe('p1');
  });

  it('adds namespace hints in three-tier projects and defaults priority to 9', async () => {
    h = harness({ schema: 'ana' });
    h.on('POST', '/projects/p1/instances', { status: 201, headers: { location: 'x/i1' } });
    await h.odps.runSql('select 1');
    const body = h.seen[0]!.body;
    expect(body).toContain('<Priority>9</Priority>');
    expect(body).toContain('odps.default.schema&quot;:&quot;ana');
    expect(body).toContain('odps.namespace.schema');
  });

  it('treats 200 with a body as a synchronous result (no polling)', async () => {
    h = harness();
    h.on('POST', '/projects/p1/instances', { status: 200, body: resultXml('n\n1\n', [{ Name: 'n', Type: 'BIGINT' }]) });
    const inst = await h.odps.executeSql('select 1 n');
    expect(inst.isSynchronous).toBe(true);
    expect((await inst.getResult()).rows).toEqual([[1n]]);
    expect(h.seen).toHaveLength(1);
  });

  it('retries 409 + Retry-After on creation; does not retry 5xx without Guid; retries with Guid', async () => {
    h = harness();
    h.on('POST', '/projects/p1/instances', { status: 409, body: '<Error><Code>Conflict</Code><Message>too many</Message></Error>', headers: { 'retry-after': '0' } });
    h.on('POST', '/projects/p1/instances', { status: 201, headers: { location: 'x/i-409' } });
    expect((await h.odps.runSql('select 1')).id).toBe('i-409');
    h.on('POST', '/projects/p1/instances', { status: 500, body: '<Error><Code>InternalServerError</Code><Message>oops</Message></Error>' });
    await expect(h.odps.runSql('select 1')).rejects.toMatchObject({ status: 500 });
    expect(h.seen).toHaveLength(3);
    h.on('POST', '/projects/p1/instances', { status: 500, body: '<Error><Code>InternalServerError</Code><Message>oops</Message></Error>' });
    h.on('POST', '/projects/p1/instances', { status: 201, headers: { location: 'x/i-guid' } });
    expect((await h.odps.runSql('select 1', { guid: 'g-123' })).id).toBe('i-guid');
    expect(h.seen.slice(3).every((s) => s.body.includes('<Guid>g-123</Guid>'))).toBe(true);
  });

  it('waits with blocking status calls, reports stage progress, then returns typed results', async () => {
    h = harness();
    h.on('POST', '/projects/p1/instances', { status: 201, headers: { location: 'x/i2' } });
    h.on('GET', '/projects/p1/instances/i2', RUNNING, { when: isStatus, times: 2 });
    h.on('GET', '/projects/p1/instances/i2', TERMINATED, { when: isStatus });
    h.on('GET', '/projects/p1/instances/i2', tasks('Running'), { when: isTasks, times: 2 });
    h.on('GET', '/projects/p1/instances/i2', { body: '<Progress><Stage ID="M1_job0"><Status>RUNNING</Status><TotalWorkers>4</TotalWorkers><TerminatedWorkers>1</TerminatedWorkers><FinishedPercentage>25</FinishedPercentage></Stage></Progress>' }, { when: (q) => q.has('instanceprogress'), times: 2 });
    // The final report after termination: the stage at 100 %.
    h.on('GET', '/projects/p1/instances/i2', tasks('Success'), { when: isTasks });
    h.on('GET', '/projects/p1/instances/i2', { body: '<Progress><Stage ID="M1_job0"><Status>TERMINATED</Status><TotalWorkers>4</TotalWorkers><TerminatedWorkers>4</TerminatedWorkers><FinishedPercentage>100</FinishedPercentage></Stage></Progress>' }, { when: (q) => q.has('instanceprogress') });
    h.on('GET', '/projects/p1/instances/i2', tasks('Success'), { when: isTasks });
    const csv = 'id,name,price,ok,ts,d,tags\n1,"a, ""b""",1.5,true,2025-01-13 08:30:00.123456789,2025-01-13,"[1,2]"\n\\N,\\N,\\N,\\N,\\N,\\N,\\N\n';
    h.on('GET', '/projects/p1/instances/i2', { body: resultXml(csv, [
      { Name: 'id', Type: 'BIGINT' }, { Name: 'name', Type: 'STRING' }, { Name: 'price', Type: 'DOUBLE' }, { Name: 'ok', Type: 'BOOLEAN' },
      { Name: 'ts', Type: 'TIMESTAMP' }, { Name: 'd', Type: 'DATE' }, { Name: 'tags', Type: 'ARRAY<BIGINT>' },
    ], true) }, { when: isResult });
    const progress: unknown[] = [];
    const inst = await h.odps.executeSql('select *', { pollInterval: 1, onProgress: (p) => void progress.push(p) });
    expect(progress).toHaveLength(3);
    expect(progress[0]).toMatchObject({ instanceId: 'i2', status: 'Running', tasks: [{ name: 'AnonymousSQLTask', status: 'Running', stages: [{ id: 'M1_job0', totalWorkers: 4, finishedPercentage: 25 }] }] });
    expect(progress[2]).toMatchObject({ status: 'Terminated', tasks: [{ status: 'Success', stages: [{ finishedPercentage: 100 }] }] });
    const res = await inst.getResult();
    expect(res.columns.map((c) => c.type)).toEqual(['bigint', 'string', 'double', 'boolean', 'timestamp', 'date', 'array<bigint>']);
    const row = res.rows[0]!;
    expect(row.slice(0, 4)).toEqual([1n, 'a, "b"', 1.5, true]);
    expect(row[4]).toBeInstanceOf(Timestamp);
    expect(String(row[4])).toBe('2025-01-13T08:30:00.123456789Z');
    expect(row.slice(5)).toEqual(['2025-01-13', [1n, 2n]]);
    expect(res.rows[1]).toEqual([null, null, null, null, null, null, null]);
    const objs = await collect(inst.readResultRows({ asObjects: true }));
    expect(objs[0]).toMatchObject({ id: 1n, name: 'a, "b"' });
    expect(h.seen.filter((s) => isStatus(s.query))).toHaveLength(3);
  });

  it('failed task → SqlError with the server message and the instance id', async () => {
    h = harness();
    const inst = h.odps.instances.get('i3');
    h.on('GET', '/projects/p1/instances/i3', TERMINATED, { when: isStatus });
    h.on('GET', '/projects/p1/instances/i3', tasks('Failed'), { when: isTasks });
    const err = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>ODPS-0130161</Code><Message>ODPS-0130161:[1,8] Parse exception - invalid token</Message></Error>';
    h.on('GET', '/projects/p1/instances/i3', { body: `<Instance><Tasks><Task Type="SQL"><Name>AnonymousSQLTask</Name><Result Format="text"><![CDATA[${err}]]></Result></Task></Tasks></Instance>` }, { when: isResult });
    const e = (await inst.waitForSuccess().catch((x: unknown) => x)) as SqlError;
    expect(e).toBeInstanceOf(SqlError);
    expect(e).toMatchObject({ odpsCode: 'ODPS-0130161', instanceId: 'i3', taskName: 'AnonymousSQLTask' });
    expect(e.message).toContain('Parse exception - invalid token');
  });

  it('aborting during waitForSuccess rejects promptly with AbortError and leaves no timers', async () => {
    h = harness();
    const inst = h.odps.instances.get('i4');
    h.on('GET', '/projects/p1/instances/i4', RUNNING, { when: isStatus, persist: true });
    const before = timeoutCount();
    const ac = new AbortController();
    const started = Date.now();
    const p = inst.waitForSuccess({ signal: ac.signal, pollInterval: 60_000 });
    setTimeout(() => ac.abort(), 30);
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(timeoutCount()).toBeLessThanOrEqual(before);
  });

  it('times out with WaitTimeoutError and clears its timers', async () => {
    h = harness();
    const inst = h.odps.instances.get('i5');
    h.on('GET', '/projects/p1/instances/i5', RUNNING, { when: isStatus, persist: true });
    const before = timeoutCount();
    await expect(inst.waitForSuccess({ timeout: 30, pollInterval: 60_000 })).rejects.toBeInstanceOf(WaitTimeoutError);
    expect(timeoutCount()).toBeLessThanOrEqual(before);
  });

  it('lists instances across pages with filters', async () => {
    h = harness();
    const page = (ids: string[], marker: string) => ({ body: `<Instances>${ids.map((i) => `<Instance><Name>${i}</Name><Owner>ALIYUN$a</Owner><Status>Terminated</Status><StartTime>Mon, 13 Jan 2025 08:30:00 GMT</StartTime></Instance>`).join('')}<Marker>${marker}</Marker></Instances>` });
    h.on('GET', '/projects/p1/instances', page(['i1'], 'k1'), { when: (q) => !q.has('marker') });
    h.on('GET', '/projects/p1/instances', page([], 'k2'), { when: (q) => q.get('marker') === 'k1' });
    h.on('GET', '/projects/p1/instances', page(['i2', 'i3'], ''), { when: (q) => q.get('marker') === 'k2' });
    const list = await collect(h.odps.instances.list({ status: 'Terminated', onlyOwner: true, startTime: new Date(1000_000), endTime: new Date(2000_000) }));
    expect(list.map((i) => i.id)).toEqual(['i1', 'i2', 'i3']);
    expect(list[0]).toMatchObject({ owner: 'ALIYUN$a', lastStatus: 'Terminated' });
    const q = h.seen[0]!.query;
    expect([q.get('status'), q.get('onlyowner'), q.get('daterange')]).toEqual(['Terminated', 'yes', '1000:2000']);
  });

  it('stop, taskSummary, taskDetail', async () => {
    h = harness();
    const inst = h.odps.instances.get('i6');
    h.on('PUT', '/projects/p1/instances/i6', {});
    h.on('GET', '/projects/p1/instances/i6', { body: JSON.stringify({ Instance: { Summary: 'sum', JsonSummary: '{"a":1}' } }), headers: { 'content-type': 'application/json' } }, { when: (q) => q.has('instancesummary') && q.get('taskname') === 'T1' });
    h.on('GET', '/projects/p1/instances/i6', { body: '{"x":2}' }, { when: (q) => q.has('instancedetail') });
    await inst.stop();
    expect(h.seen[0]!.body).toContain('<Instance><Status>Terminated</Status></Instance>');
    expect(await inst.taskSummary('T1')).toEqual({ summary: 'sum', jsonSummary: { a: 1 } });
    expect(await inst.taskDetail('T1')).toEqual({ x: 2 });
  });
  it('stop resolves false on InvalidStateSetting (already terminated); other errors reject', async () => {
    h = harness();
    const inst = h.odps.instances.get('i7');
    h.on('PUT', '/projects/p1/instances/i7', { status: 400, body: '<Error><Code>InvalidStateSetting</Code><Message>already terminated</Message></Error>' });
    expect(await inst.stop()).toBe(false);
    h.on('PUT', '/projects/p1/instances/i7', {});
    expect(await inst.stop()).toBe(true);
    h.on('PUT', '/projects/p1/instances/i7', { status: 403, body: '<Error><Code>NoPermission</Code><Message>no</Message></Error>' });
    await expect(inst.stop()).rejects.toMatchObject({ code: 'NoPermission' });
  });

  it('queueingInfo() reads ?cached JSON with the keys both SDKs read', async () => {
    h = harness();
    const inst = h.odps.instances.get('i8');
    const java = { instanceId: 'i8', instancePriority: 9, instanceProgress: 0.5, jobName: 'j', projectName: 'p1', skynetId: 's', startTime: '2025-01-13 08:30:00 +0800', taskType: 'SQL', taskName: 'T', userAccount: 'ALIYUN$a', status: 'Running', extra: 1 };
    h.on('GET', '/projects/p1/instances/i8', { body: JSON.stringify(java), headers: { 'content-type': 'application/json' } }, { when: (q) => q.has('cached') });
    const info = await inst.queueingInfo();
    expect(info).toMatchObject({ instanceId: 'i8', priority: 9, progress: 0.5, jobName: 'j', project: 'p1', taskType: 'SQL', taskName: 'T', userAccount: 'ALIYUN$a', status: 'Running' });
    expect(info.startTime?.toISOString()).toBe('2025-01-13T00:30:00.000Z');
    expect(info.raw['extra']).toBe(1);
    // PyODPS spells the progress key instanceProcess; microsecond start times as Java's second layout.
    h.on('GET', '/projects/p1/instances/i8', { body: JSON.stringify({ instanceProcess: '0.25', startTime: '2025-01-13 08:30:00.123456+0000' }) }, { when: (q) => q.has('cached') });
    const py = await inst.queueingInfo();
    expect(py.progress).toBe(0.25);
    expect(py.startTime?.toISOString()).toBe('2025-01-13T08:30:00.123Z');
    for (const bad of ['not json', '[1]', 'null']) {
      h.on('GET', '/projects/p1/instances/i8', { body: bad }, { when: (q) => q.has('cached') });
      await expect(inst.queueingInfo()).rejects.toMatchObject({ code: bad === 'not json' ? 'InvalidJson' : 'InvalidResponse' });
    }
  });

  it('instances.queueing() pages /cachedinstances, reading the JSON array in Content', async () => {
    h = harness();
    const page = (ids: string[], marker: string) => ({ body: `<?xml version="1.0" encoding="UTF-8"?><Instances><Marker>${marker}</Marker><MaxItems>2</MaxItems><Content><![CDATA[${JSON.stringify(ids.map((instanceId) => ({ instanceId, status: 'Running' })))}]]></Content></Instances>` });
    h.on('GET', '/projects/p1/cachedinstances', page(['q1', 'q2'], 'k'), { when: (q) => !q.has('marker') });
    h.on('GET', '/projects/p1/cachedinstances', { body: '<Instances><Marker></Marker></Instances>' }, { when: (q) => q.get('marker') === 'k' });
    const infos = await collect(h.odps.instances.queueing({ onlyOwner: true, status: 'Running', quotaIndex: 'qi', pageSize: 2 }));
    expect(infos.map((i) => i.instanceId)).toEqual(['q1', 'q2']);
    const q = h.seen[0]!.query;
    expect([q.get('onlyowner'), q.get('status'), q.get('quotaindex'), q.get('maxitems')]).toEqual(['yes', 'Running', 'qi', '2']);
    h.on('GET', '/projects/p1/cachedinstances', { body: '<Instances><Content>{"a":1}</Content></Instances>' });
    await expect(collect(h.odps.instances.queueing())).rejects.toMatchObject({ code: 'InvalidResponse' });
  });
});
