import diagnostics_channel from 'node:diagnostics_channel';
import { afterEach, describe, expect, it } from 'vitest';
import { ChecksumError, OdpsArgumentError, OdpsError, TunnelError } from '../../src/errors.js';
import { ODPS } from '../../src/odps.js';
import { ENDPOINT, FakeAccount, mockAgent } from '../http/fakes.js';
import { harness } from './harness.js';

describe('ODPS', () => {
  let h: ReturnType<typeof harness> | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('validates options', () => {
    const account = new FakeAccount();
    expect(() => new ODPS({ account, project: 'bad-name', endpoint: ENDPOINT })).toThrow(OdpsArgumentError);
    expect(() => new ODPS({ account, project: 'p', endpoint: 'not a url' })).toThrow(OdpsArgumentError);
    expect(() => new ODPS({ account: {} as FakeAccount, project: 'p', endpoint: ENDPOINT })).toThrow(OdpsArgumentError);
  });

  it('fromEnv reads the ODPS_* variables and names missing ones', async () => {
    const agent = mockAgent();
    const odps = ODPS.fromEnv({ account: new FakeAccount(), dispatcher: agent }, {
      ODPS_ENDPOINT: 'https://service.cn-hangzhou.maxcompute.aliyun.com/api/', ODPS_PROJECT_NAME: 'proj', ODPS_TUNNEL_ENDPOINT: 'https://dt.x',
      ODPS_REGION_NAME: 'cn-hangzhou', ODPS_SCHEMA: 'ana',
    });
    expect([odps.endpoint, odps.project, odps.schema, odps.options.region]).toEqual(['https://service.cn-hangzhou.maxcompute.aliyun.com/api', 'proj', 'ana', 'cn-hangzhou']);
    expect(await odps.tunnelEndpoint()).toBe('https://dt.x');
    expect(() => ODPS.fromEnv({ account: new FakeAccount() }, {})).toThrow(/ODPS_ENDPOINT, ODPS_PROJECT_NAME/);
    await agent.close();
  });

  it('fromEnv defaults to a CredentialProviderAccount', async () => {
    const odps = ODPS.fromEnv({ dispatcher: mockAgent() }, { ODPS_ENDPOINT: ENDPOINT, ODPS_PROJECT_NAME: 'p' });
    expect(odps.options.account.constructor.name).toBe('CredentialProviderAccount');
  });

  it('sends user agents on every request and emits secret-free diagnostics; logger gets redacted headers', async () => {
    const logs: { msg: string; data?: Record<string, unknown> }[] = [];
    const log = (msg: string, data?: Record<string, unknown>) => void logs.push(data ? { msg, data } : { msg });
    h = harness({ userAgent: 'myapp/1.0', logger: { debug: log, info: log, warn: log, error: log } });
    h.on('GET', '/projects/p1', { body: '<Project><Name>p1</Name></Project>' });
    const events: unknown[] = [];
    const sub = (m: unknown) => events.push(m);
    diagnostics_channel.subscribe('odps-ts:request:start', sub);
    diagnostics_channel.subscribe('odps-ts:request:end', sub);
    try {
      await h.odps.projects.get();
    } finally {
      diagnostics_channel.unsubscribe('odps-ts:request:start', sub);
      diagnostics_channel.unsubscribe('odps-ts:request:end', sub);
    }
    const headers = h.seen[0]!.headers;
    expect(headers['x-odps-user-agent']).toMatch(/^odps-ts\/\S+ Node\.js\/\S+ \(.+\) myapp\/1\.0$/);
    expect(headers['User-Agent'] ?? headers['user-agent']).toBe(headers['x-odps-user-agent']);
    expect(events).toEqual([
      { method: 'GET', service: 'rest', path: '/projects/p1', attempt: 1 },
      expect.objectContaining({ method: 'GET', path: '/projects/p1', status: 200, requestId: 'rid', durationMs: expect.any(Number) }),
    ]);
    const dump = JSON.stringify(logs);
    expect(dump).not.toContain('secret-token');
    expect(dump).not.toContain('ODPS fake');
    expect(dump).toContain('[redacted]');
  });

  it('tunnel errors are OdpsErrors', () => {
    const t = new TunnelError('bad', { code: 'X', requestId: 'r', status: 400 });
    expect(t).toBeInstanceOf(OdpsError);
    expect(t).toMatchObject({ code: 'X', requestId: 'r', status: 400 });
    const c = new ChecksumError('crc', { recordIndex: 3 });
    expect(c).toBeInstanceOf(TunnelError);
    expect(c.recordIndex).toBe(3);
  });
});
