import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/index.js';
import { call, fakeEngine, sqlJob, xmlText } from './helpers.js';

async function submit(emu: Emulator, sql: string, extra: { guid?: string } = {}): Promise<string> {
  const res = await call(emu, 'POST', '/projects/demo/instances?curr_project=demo', { body: sqlJob(sql, extra) });
  expect(res.status).toBe(201);
  expect(res.text).toBe('');
  const location = res.headers['location'] as string;
  expect(location.startsWith(`${emu.endpoint}/projects/demo/instances/`)).toBe(true);
  return location.slice(location.lastIndexOf('/') + 1);
}

async function waitTerminated(emu: Emulator, id: string): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const res = await call(emu, 'GET', `/projects/demo/instances/${id}?instancestatus`);
    expect(res.status).toBe(200);
    if (xmlText(res.text, 'Status') === 'Terminated') return;
  }
  throw new Error('instance did not terminate');
}

describe('emulator SQL instances', () => {
  let emu: Emulator;
  let engine: ReturnType<typeof fakeEngine>;
  beforeAll(async () => {
    engine = fakeEngine();
    emu = await startEmulator({ engine, longPollMs: 500 });
  });
  afterAll(async () => {
    await emu.close();
  });

  it('runs a query: 201 + Location, long-poll status, task status, CSV result with descriptor', async () => {
    const id = await submit(emu, 'select id, name, ts from t;');
    expect(id).toMatch(/^\d{17}g[a-z0-9]{8}$/);
    await waitTerminated(emu, id);
    const status = await call(emu, 'GET', `/projects/demo/instances/${id}`);
    expect(status.headers['x-odps-owner']).toBe('ALIYUN$emulator@localhost');
    expect(status.headers['x-odps-end-time']).toMatch(/GMT$/);
    const tasks = await call(emu, 'GET', `/projects/demo/instances/${id}?taskstatus`);
    expect(tasks.text).toContain('<Task Type="SQL"><Name>AnonymousSQLTask</Name>');
    expect(xmlText(tasks.text, 'Tasks')).toContain('<Status>Success</Status>');
    const result = await call(emu, 'GET', `/projects/demo/instances/${id}?result`);
    expect(result.text).toContain('<Result Format="text"><![CDATA[');
    expect(xmlText(result.text, 'Result')).toBe(
      'id,name,ts\n1,plain,2025-01-02 03:04:05\n2,"has,comma ""and"" quotes",\\N\n\\N,"line\nbreak",2025-01-02 03:04:05\n',
    );
    const descriptor = JSON.parse(xmlText(result.text, 'ResultDescriptor') as string);
    expect(descriptor).toEqual({
      IsSelect: true,
      SelectResultStatus: 'YES',
      Schema: { Columns: [{ Name: 'id', Type: 'bigint' }, { Name: 'name', Type: 'string' }, { Name: 'ts', Type: 'datetime' }] },
    });
    expect(engine.executed).toContain('select id, name, ts from t;');
  });

  it('reports a failed task with the SQL error text', async () => {
    const id = await submit(emu, 'selec 1;');
    await waitTerminated(emu, id);
    const tasks = await call(emu, 'GET', `/projects/demo/instances/${id}?taskstatus`);
    expect(xmlText(xmlText(tasks.text, 'Tasks') as string, 'Status')).toBe('Failed');
    const result = await call(emu, 'GET', `/projects/demo/instances/${id}?result`);
    expect(xmlText(result.text, 'Result')).toBe("ODPS-0130161:[1,1] Parse exception - invalid token 'selec'");
    expect(result.text).toContain('<Status>Failed</Status>');
  });

  it('de-duplicates submissions by Guid', async () => {
    const before = engine.executed.length;
    const a = await submit(emu, 'select 1 as guid_test;', { guid: 'g-123' });
    const b = await submit(emu, 'select 1 as guid_test;', { guid: 'g-123' });
    const c = await submit(emu, 'select 1 as guid_test;', { guid: 'g-456' });
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    await waitTerminated(emu, a);
    await waitTerminated(emu, c);
    expect(engine.executed.length - before).toBe(2);
  });

  it('serves progress, summary, detail, source and the instance list', async () => {
    const id = await submit(emu, 'select 2;');
    await waitTerminated(emu, id);
    const progress = await call(emu, 'GET', `/projects/demo/instances/${id}?instanceprogress=AnonymousSQLTask&taskname=AnonymousSQLTask`);
    expect(xmlText(progress.text, 'FinishedPercentage')).toBe('100');
    const summary = await call(emu, 'GET', `/projects/demo/instances/${id}?instancesummary&taskname=AnonymousSQLTask`);
    expect(summary.headers['x-odps-task-finalized']).toBe('true');
    expect(typeof JSON.parse(summary.text).Instance.JsonSummary).toBe('string');
    const detail = await call(emu, 'GET', `/projects/demo/instances/${id}?instancedetail&taskname=AnonymousSQLTask`);
    expect(JSON.parse(detail.text).Instance.Name).toBe(id);
    const source = await call(emu, 'GET', `/projects/demo/instances/${id}?source`);
    expect(source.text).toContain('<![CDATA[select 2;]]>');
    expect(source.text).toMatch(/^<\?xml[^>]*>\s*<Job>/);
    expect(source.text).not.toContain('<Instance>');
    const list = await call(emu, 'GET', '/projects/demo/instances?status=Terminated&maxitems=100');
    expect(list.text).toContain(`<Name>${id}</Name>`);
    const running = await call(emu, 'GET', '/projects/demo/instances?status=Running');
    expect(running.text).not.toContain(`<Name>${id}</Name>`);
  });

  it('stops a running instance: Terminated with a Cancelled task', async () => {
    const id = await submit(emu, 'select sleep;');
    const stop = await call(emu, 'PUT', `/projects/demo/instances/${id}`, { body: '<?xml version="1.0" encoding="UTF-8"?><Instance><Status>Terminated</Status></Instance>' });
    expect(stop.status).toBe(200);
    const tasks = await call(emu, 'GET', `/projects/demo/instances/${id}?taskstatus`);
    expect(xmlText(tasks.text, 'Status')).toBe('Terminated');
    expect(xmlText(tasks.text, 'Tasks')).toContain('<Status>Cancelled</Status>');
  });

  it('answers InvalidStateSetting when stopping an instance that already terminated', async () => {
    const id = await submit(emu, 'select sleep;');
    const body = '<?xml version="1.0" encoding="UTF-8"?><Instance><Status>Terminated</Status></Instance>';
    expect((await call(emu, 'PUT', `/projects/demo/instances/${id}`, { body })).status).toBe(200);
    const again = await call(emu, 'PUT', `/projects/demo/instances/${id}`, { body });
    expect(again.status).toBe(400);
    expect(xmlText(again.text, 'Code')).toBe('InvalidStateSetting');
    const done = await submit(emu, 'select 1;');
    await waitTerminated(emu, done);
    const late = await call(emu, 'PUT', `/projects/demo/instances/${done}`, { body });
    expect(xmlText(late.text, 'Code')).toBe('InvalidStateSetting');
  });

  it('answers queueing info JSON on ?cached and /cachedinstances (keys of Java and PyODPS InstanceQueueingInfo)', async () => {
    const id = await submit(emu, 'select sleep;');
    const cached = await call(emu, 'GET', `/projects/demo/instances/${id}?cached`);
    expect(cached.status).toBe(200);
    expect(cached.headers['content-type']).toBe('application/json');
    const info = JSON.parse(cached.text) as Record<string, unknown>;
    expect(Object.keys(info).sort()).toEqual(['instanceId', 'instancePriority', 'instanceProgress', 'jobName', 'projectName', 'skynetId', 'startTime', 'status', 'taskName', 'taskType', 'userAccount']);
    expect(info).toMatchObject({ instanceId: id, projectName: 'demo', status: 'Running', taskType: 'SQL', userAccount: 'ALIYUN$emulator@localhost' });
    // Java parses `yyyy-MM-dd HH:mm:ss Z`.
    expect(info['startTime']).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000$/);
    const queue = await call(emu, 'GET', '/projects/demo/cachedinstances?onlyowner=no&maxitems=100');
    expect(queue.status).toBe(200);
    expect(xmlText(queue.text, 'MaxItems')).toBe('100');
    expect(queue.text).toMatch(/^<\?xml[^>]*>\s*<Instances>/);
    const content = JSON.parse(xmlText(queue.text, 'Content') as string) as { instanceId: string; status: string }[];
    expect(content.map((c) => c.instanceId)).toContain(id);
    expect(content.every((c) => c.status === 'Running')).toBe(true);
    await call(emu, 'PUT', `/projects/demo/instances/${id}`, { body: '<Instance><Status>Terminated</Status></Instance>' });
    const after = JSON.parse(xmlText((await call(emu, 'GET', '/projects/demo/cachedinstances')).text, 'Content') as string) as { instanceId: string }[];
    expect(after.map((c) => c.instanceId)).not.toContain(id);
    expect((JSON.parse((await call(emu, 'GET', `/projects/demo/instances/${id}?cached`)).text) as { status: string }).status).toBe('Terminated');
    expect((await call(emu, 'GET', '/projects/demo/instances/nope?cached')).status).toBe(404);
  });

  it('names progress stages as the service does (M1_Stg1_job0)', async () => {
    const id = await submit(emu, 'select 1;');
    await waitTerminated(emu, id);
    const progress = await call(emu, 'GET', `/projects/demo/instances/${id}?instanceprogress=AnonymousSQLTask&taskname=AnonymousSQLTask`);
    expect(progress.text).toContain('<Stage ID="M1_Stg1_job0">');
  });

  it('rejects malformed jobs, DOCTYPEs and oversized bodies', async () => {
    const bad = await call(emu, 'POST', '/projects/demo/instances', { body: '<Instance><Job><Tasks/></Job></Instance>' });
    expect(bad.status).toBe(400);
    const doctype = await call(emu, 'POST', '/projects/demo/instances', { body: '<!DOCTYPE x [<!ENTITY a "b">]><Instance/>' });
    expect(doctype.status).toBe(400);
    const missing = await call(emu, 'GET', '/projects/demo/instances/nope');
    expect(missing.status).toBe(404);
  });

  it('accepts XML-escaped queries (Go SDK style)', async () => {
    const body = sqlJob('x').replace('<![CDATA[x]]>', 'select * from t where a &lt; 3 and b &gt; 1;');
    const res = await call(emu, 'POST', '/projects/demo/instances', { body });
    expect(res.status).toBe(201);
    await new Promise((r) => setTimeout(r, 100));
    expect(engine.executed).toContain('select * from t where a < 3 and b > 1;');
  });
});

describe('emulator body size cap', () => {
  it('answers 413 beyond maxBodyBytes', async () => {
    const emu = await startEmulator({ engine: fakeEngine(), maxBodyBytes: 1000 });
    try {
      const res = await call(emu, 'POST', '/projects/demo/instances', { body: sqlJob('select 1;' + ' '.repeat(2000)) });
      expect(res.status).toBe(413);
    } finally {
      await emu.close();
    }
  });
});
