import { afterEach, describe, expect, it } from 'vitest';
import { NoSuchObjectError } from '../../src/errors.js';
import { collect, harness } from '../odps/harness.js';

describe('projects, schemas, logview, tunnel endpoint', () => {
  let h: ReturnType<typeof harness>;
  afterEach(async () => h.close());

  it('gets a project with properties', async () => {
    h = harness();
    h.on('GET', '/projects/p1', {
      body: '<Project><Name>p1</Name><Type>managed</Type><Comment>c</Comment><State>AVAILABLE</State><Allow3Tier>true</Allow3Tier><Properties><Property><Name>odps.timezone</Name><Value>Asia/Shanghai</Value></Property></Properties></Project>',
      headers: { 'x-odps-owner': 'ALIYUN$o', 'x-odps-creation-time': 'Mon, 13 Jan 2025 08:30:00 GMT' },
    }, { when: (q) => q.get('properties') === 'all' });
    const p = await h.odps.projects.get('p1', { allProperties: true });
    expect(p).toMatchObject({ name: 'p1', type: 'managed', state: 'AVAILABLE', owner: 'ALIYUN$o', allow3Tier: true, properties: { 'odps.timezone': 'Asia/Shanghai' } });
    expect(p.creationTime?.toISOString()).toBe('2025-01-13T08:30:00.000Z');
  });

  it('lists and gets schemas', async () => {
    h = harness();
    const s = (n: string) => `<Schema><Name>${n}</Name><Owner>o</Owner><CreateTime>1736757000</CreateTime></Schema>`;
    h.on('GET', '/projects/p1/schemas', { body: `<Schemas>${s('default')}<Marker>m</Marker></Schemas>` }, { when: (q) => !q.has('marker') });
    h.on('GET', '/projects/p1/schemas', { body: `<Schemas>${s('ana')}</Schemas>` }, { when: (q) => q.get('marker') === 'm' });
    expect((await collect(h.odps.schemas.list())).map((x) => x.name)).toEqual(['default', 'ana']);
    h.on('GET', '/projects/p1/schemas/ana', { body: s('ana') });
    expect(await h.odps.schemas.get('ana')).toMatchObject({ name: 'ana', owner: 'o', project: 'p1' });
    h.on('GET', '/projects/p1/schemas/zz', { status: 404 });
    await expect(h.odps.schemas.get('zz')).rejects.toBeInstanceOf(NoSuchObjectError);
  });

  it('builds a legacy logview URL with a signed bearer token and a discovered host', async () => {
    h = harness();
    h.on('GET', '/logview/host', { body: 'https://logview.example.com/\n' });
    h.on('POST', '/projects/p1/authorization', { body: '<Authorization><Result>tok+en/=</Result></Authorization>' }, { when: (q) => q.has('sign_bearer_token') });
    const url = await h.odps.instances.get('i1').logviewUrl({ hours: 24 });
    expect(url).toBe('https://logview.example.com/logview/?h=http%3A%2F%2Fodps.test%2Fapi&p=p1&i=i1&token=tok%2Ben%2F%3D');
    const post = h.seen.find((s) => s.method === 'POST')!;
    expect(post.headers['Content-Type'] ?? post.headers['content-type']).toBe('application/json');
    expect(JSON.parse(post.body)).toEqual({
      expires_in_hours: 24,
      policy: { Statement: [{ Action: ['odps:Read'], Effect: 'Allow', Resource: 'acs:odps:*:projects/p1/instances/i1' }], Version: '1' },
    });
  });

  it('falls back to http://logview.aliyun.com and builds Job Insight URLs', async () => {
    h = harness({ region: 'cn-hangzhou', jobInsightHost: 'https://ji.example.com' });
    h.on('GET', '/logview/host', { status: 404 });
    h.on('POST', '/projects/p1/authorization', { body: '<Authorization><Result>t</Result></Authorization>' });
    expect(await h.odps.logviewUrl('i9')).toBe('http://logview.aliyun.com/logview/?h=http%3A%2F%2Fodps.test%2Fapi&p=p1&i=i9&token=t');
    expect(await h.odps.logviewUrl('i9', { jobInsight: true })).toBe('https://ji.example.com/cn-hangzhou/job-insights?h=http%3A%2F%2Fodps.test%2Fapi&p=p1&i=i9');
  });

  it('discovers the tunnel endpoint once per project+quota and routes tunnel requests there', async () => {
    h = harness();
    h.on('GET', '/projects/p1/tunnel', { body: 'dt.test' }, { when: (q) => q.has('service') && !q.has('quotaName') });
    h.on('GET', '/projects/p1/tunnel', { body: 'dt-q.test' }, { when: (q) => q.get('quotaName') === 'q1' });
    expect(await h.odps.tunnelEndpoint()).toBe('http://dt.test');
    expect(await h.odps.tunnelEndpoint()).toBe('http://dt.test');
    expect(await h.odps.tunnelEndpoint({ quotaName: 'q1' })).toBe('http://dt-q.test');
    expect(h.seen).toHaveLength(2);
    let signedEndpoint = '';
    h.agent.get('http://dt.test').intercept({ path: (p) => p.startsWith('/projects/p1/tables/t?'), method: "POST" }).reply(() => {
      signedEndpoint = h.account.calls.at(-1)!.options.endpoint;
      return { statusCode: 201, data: JSON.stringify({ DownloadID: 'd1' }), responseOptions: { headers: { 'content-type': 'application/json' } } };
    });
    const res = await h.odps.transport.request({ method: 'POST', service: 'tunnel', path: ['projects', 'p1', 'tables', 't'], query: { downloads: null }, headers: { 'x-odps-tunnel-version': '6' } });
    expect(await res.json()).toEqual({ DownloadID: 'd1' });
    expect(signedEndpoint).toBe('http://dt.test');
  });

  it('uses a configured tunnel endpoint as is, even with a quota (no discovery call)', async () => {
    h = harness({ tunnelEndpoint: 'http://dt.configured/' });
    expect(await h.odps.tunnelEndpoint()).toBe('http://dt.configured');
    expect(await h.odps.tunnelEndpoint({ quotaName: 'q1' })).toBe('http://dt.configured');
    expect(h.seen).toHaveLength(0);
  });
});
