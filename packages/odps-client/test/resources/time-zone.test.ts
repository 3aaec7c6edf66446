import { afterEach, describe, expect, it } from 'vitest';
import { harness } from '../odps/harness.js';

const result = (text: string) =>
  `<Instance><Tasks><Task Type="SQL"><Name>AnonymousSQLTask</Name><Status>Success</Status><Result Format="text"><![CDATA[${text}]]></Result>` +
  `<ResultDescriptor><![CDATA[{"IsSelect":true,"SelectResultStatus":"YES","Schema":{"Columns":[{"Name":"at","Type":"DATETIME"}]}}]]></ResultDescriptor></Task></Tasks></Instance>`;
const project = (zone: string) => `<Project><Name>p1</Name><Properties><Property><Name>odps.sql.timezone</Name><Value>${zone}</Value></Property></Properties></Project>`;

describe('the zone of DATETIME result text', () => {
  let h: ReturnType<typeof harness>;
  afterEach(async () => h.close());

  it('reads the project property odps.sql.timezone once per client and project', async () => {
    h = harness();
    h.on('GET', '/projects/p1', { body: project('Asia/Shanghai') }, { when: (q) => !q.has('properties') });
    h.on('GET', '/projects/p1/instances/i1', { body: result('at\n2024-03-01 08:00:00\n') }, { when: (q) => q.has('result'), times: 2 });
    const inst = h.odps.instances.get('i1');
    expect((await inst.getResult()).rows[0]![0]).toEqual(new Date('2024-03-01T00:00:00Z'));
    expect((await h.odps.instances.get('i1').getResult()).rows[0]![0]).toEqual(new Date('2024-03-01T00:00:00Z'));
    expect(h.seen.filter((s) => s.path === '/projects/p1')).toHaveLength(1);
  });

  it('falls back to UTC when the project lookup fails, and skips it for results without DATETIME', async () => {
    h = harness();
    h.on('GET', '/projects/p1', { status: 403, body: '<Error><Code>NoPermission</Code><Message>no</Message></Error>' });
    h.on('GET', '/projects/p1/instances/i1', { body: result('at\n2024-03-01 08:00:00\n') }, { when: (q) => q.has('result') });
    expect((await h.odps.instances.get('i1').getResult()).rows[0]![0]).toEqual(new Date('2024-03-01T08:00:00Z'));
    h.on('GET', '/projects/p1/instances/i2', {
      body: result('at\n1\n').replace('"Type":"DATETIME"', '"Type":"BIGINT"'),
    }, { when: (q) => q.has('result') });
    await h.odps.instances.get('i2').getResult();
    expect(h.seen.filter((s) => s.path === '/projects/p1')).toHaveLength(1);
  });

  it('sends the client timeZone as odps.sql.timezone (caller hints win) and reads its own results in it', async () => {
    h = harness({ timeZone: 'America/New_York' });
    const bodies: string[] = [];
    h.on('POST', '/projects/p1/instances', (s) => {
      bodies.push(s.body);
      return { status: 201, headers: { location: 'http://odps.test/api/projects/p1/instances/i7' } };
    }, { times: 2 });
    h.on('GET', '/projects/p1/instances/i7', { body: result('at\n2024-03-01 08:00:00\n') }, { when: (q) => q.has('result') });
    const inst = await h.odps.runSql('SELECT at FROM t');
    expect(bodies[0]).toContain('&quot;odps.sql.timezone&quot;:&quot;America/New_York&quot;');
    expect((await inst.getResult()).rows[0]![0]).toEqual(new Date('2024-03-01T13:00:00Z'));
    expect(h.seen.some((s) => s.path === '/projects/p1')).toBe(false);
    await h.odps.runSql('SELECT 1', { hints: { 'odps.sql.timezone': 'UTC' } });
    expect(bodies[1]).toContain('&quot;odps.sql.timezone&quot;:&quot;UTC&quot;');
  });
});
