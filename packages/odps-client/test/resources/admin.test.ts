// projects.list, quotas list/get, and what a finished instance ran and cost (source, SQL text, quota, task cost).
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidIdentifierError, NoSuchObjectError, OdpsError } from '../../src/errors.js';
import { Instance } from '../../src/resources/instance.js';
import { collect, harness } from '../odps/harness.js';

const proj = (n: string) => `<Project><Name>${n}</Name><Owner>ALIYUN$o</Owner><State>AVAILABLE</State><DefaultQuotaNickname>q1</DefaultQuotaNickname><CreationTime>Mon, 01 Jan 2024 00:00:00 GMT</CreationTime><Properties><Property><Name>k</Name><Value>v</Value></Property></Properties></Project>`;
const quota = (n: string) => `<Quota><Name>${n}</Name><Nickname>${n}</Nickname><ID>7</ID><Status>ON</Status><IsEnabled>true</IsEnabled><ResourceSystemType>FUXI_VW</ResourceSystemType><CPU>200</CPU><Memory>1024</Memory><CreateTimeMs>1700000000000</CreateTimeMs><Properties>{"a":1}</Properties></Quota>`;

describe('admin listings', () => {
  let h: ReturnType<typeof harness>;
  afterEach(async () => h.close());

  it('projects.list follows the marker and sends the SDK filter params', async () => {
    h = harness();
    h.on('GET', '/projects', { body: `<Projects>${proj('a1')}<Marker>m1</Marker><MaxItems>1</MaxItems></Projects>` }, { when: (q) => !q.has('marker') });
    h.on('GET', '/projects', { body: `<Projects>${proj('a2')}<Marker></Marker></Projects>` }, { when: (q) => q.get('marker') === 'm1' });
    const ps = await collect(h.odps.projects.list({ prefix: 'a', owner: 'ALIYUN$o', user: 'u', group: 'g', pageSize: 1 }));
    expect(ps.map((p) => p.name)).toEqual(['a1', 'a2']);
    expect(ps[0]).toMatchObject({ owner: 'ALIYUN$o', state: 'AVAILABLE', defaultQuota: 'q1', properties: { k: 'v' } });
    expect(ps[0]!.creationTime?.toISOString()).toBe('2024-01-01T00:00:00.000Z');
    const q = h.seen[0]!.query;
    expect(Object.fromEntries(q)).toEqual({ expectmarker: 'true', name: 'a', owner: 'ALIYUN$o', user: 'u', group: 'g', maxitems: '1', curr_project: 'p1' });
  });

  it('quotas.list / get / exists use /quotas with version=wlm and project=', async () => {
    h = harness();
    h.on('GET', '/quotas', { body: `<Quotas>${quota('q1')}${quota('q2')}<Marker></Marker></Quotas>` });
    h.on('GET', '/quotas/q1', { body: quota('q1') });
    h.on('GET', '/quotas/nope', { status: 404, body: '<Error><Code>NoSuchObject</Code><Message>no</Message></Error>' });
    const qs = await collect(h.odps.quotas.list({ region: 'cn-x' }));
    expect(qs.map((q) => q.nickname)).toEqual(['q1', 'q2']);
    expect(Object.fromEntries(h.seen[0]!.query)).toMatchObject({ expectmarker: 'true', version: 'wlm', project: 'p1', region: 'cn-x' });
    const q1 = await h.odps.quotas.get('q1');
    expect(q1).toMatchObject({ nickname: 'q1', id: '7', status: 'ON', isEnabled: true, resourceSystemType: 'FUXI_VW', cpu: 200, memory: 1024, properties: { a: 1 } });
    expect(q1.creationTime?.getTime()).toBe(1700000000000);
    expect(Object.fromEntries(h.seen[1]!.query)).toMatchObject({ version: 'wlm', project: 'p1' });
    expect(await h.odps.quotas.exists('nope')).toBe(false);
    await expect(h.odps.quotas.get('')).rejects.toBeInstanceOf(InvalidIdentifierError);
  });
});

describe('instance source, cost and quota', () => {
  let h: ReturnType<typeof harness>;
  afterEach(async () => h.close());
  const inst = () => new Instance(h.odps, 'i1', { project: 'p1' });
  const job = (settings: Record<string, string>, query = "select ']]>' as x;") =>
    `<?xml version="1.0"?><Job><Name>j</Name><Priority>3</Priority><Tasks><SQL><Name>AnonymousSQLTask</Name><Config><Property><Name>settings</Name><Value>${JSON.stringify(settings).replace(/"/g, '&quot;')}</Value></Property></Config><Query><![CDATA[${query.replace(']]>', ']]]]><![CDATA[>')}]]></Query></SQL></Tasks></Job>`;

  it('source/sqlText/quotaName read ?source (root Job, settings decoded)', async () => {
    h = harness();
    h.on('GET', '/projects/p1/instances/i1', { body: job({ 'odps.task.wlm.quota': 'q9' }) }, { when: (q) => q.has('source'), times: 3 });
    expect(await inst().sqlText()).toBe("select ']]>' as x;");
    expect(await inst().quotaName()).toBe('q9');
    expect(await inst().source()).toMatchObject({ name: 'j', priority: 3, tasks: [{ name: 'AnonymousSQLTask', type: 'SQL', settings: { 'odps.task.wlm.quota': 'q9' } }] });
  });

  it('quotaName is undefined on the default quota; an answer without Job is a typed error', async () => {
    h = harness();
    h.on('GET', '/projects/p1/instances/i1', { body: job({}) }, { when: (q) => q.has('source') });
    h.on('GET', '/projects/p1/instances/i1', { body: '<Instance/>' }, { when: (q) => q.has('source') });
    expect(await inst().quotaName()).toBeUndefined();
    await expect(inst().sqlText()).rejects.toBeInstanceOf(OdpsError);
  });

  it('taskCost reads Cost from the summary JSON; taskQuota returns ?instancequota JSON', async () => {
    h = harness();
    const json = { 'content-type': 'application/json' };
    h.on('GET', '/projects/p1/instances/i1', { body: JSON.stringify({ Instance: { JsonSummary: JSON.stringify({ Cost: { CPU: 200, Memory: '4096', Input: 0 } }) } }), headers: json }, { when: (q) => q.has('instancesummary') && q.get('taskname') === 'T' });
    h.on('GET', '/projects/p1/instances/i1', { body: JSON.stringify({ Instance: { JsonSummary: '{}' } }), headers: json }, { when: (q) => q.has('instancesummary') });
    h.on('GET', '/projects/p1/instances/i1', { body: '{"quota":"q"}', headers: json }, { when: (q) => q.has('instancequota') && q.get('taskname') === 'T' });
    h.on('GET', '/projects/p1/instances/i1', { body: 'not json', headers: json }, { when: (q) => q.has('instancequota') });
    expect(await inst().taskCost('T')).toEqual({ cpuCost: 200, memoryCost: 4096, inputSize: 0 });
    expect(await inst().taskCost('T')).toBeUndefined();
    expect(await inst().taskQuota('T')).toEqual({ quota: 'q' });
    await expect(inst().taskQuota('T')).rejects.toBeInstanceOf(OdpsError);
  });

  it('a missing instance is NoSuchObjectError', async () => {
    h = harness();
    h.on('GET', '/projects/p1/instances/i1', { status: 404, body: '<Error><Code>NoSuchObject</Code><Message>no</Message></Error>' }, { when: (q) => q.has('source') });
    await expect(inst().sqlText()).rejects.toBeInstanceOf(NoSuchObjectError);
  });
});
