import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startEmulator, type Emulator } from '../../src/index.js';
import { call, fakeEngine, xmlText } from './helpers.js';

describe('emulator authentication', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ engine: fakeEngine(), stsLifetimeSeconds: 60 });
  });
  afterAll(async () => {
    await emu.close();
  });

  it('accepts a v2 signature and answers with a request id', async () => {
    const res = await call(emu, 'GET', '/projects/demo?curr_project=demo');
    expect(res.status).toBe(200);
    expect(res.headers['x-odps-request-id']).toMatch(/^[0-9A-F]{24}$/);
    expect(xmlText(res.text, 'Name')).toBe('demo');
  });

  it('accepts a v4 signature with any region', async () => {
    const res = await call(emu, 'GET', '/projects/demo/tables?expectmarker=true', { version: 'v4', region: 'cn-hangzhou' });
    expect(res.status).toBe(200);
    const other = await call(emu, 'GET', '/projects/demo/tables?expectmarker=true', { version: 'v4', region: 'eu-central-1' });
    expect(other.status).toBe(200);
  });

  it('rejects a wrong secret with 401 SignatureNotMatch', async () => {
    const res = await call(emu, 'GET', '/projects/demo', { credentials: { accessKeyId: emu.accessKeyId, accessKeySecret: 'wrong' } });
    expect(res.status).toBe(401);
    expect(xmlText(res.text, 'Code')).toBe('SignatureNotMatch');
    expect(xmlText(res.text, 'Message')).toContain('ODPS-0410042');
    expect(xmlText(res.text, 'RequestId')).toBe(res.headers['x-odps-request-id']);
  });

  it('rejects a signature over a different resource (tampered query)', async () => {
    const date = new Date().toUTCString();
    const good = await call(emu, 'GET', '/projects/demo/tables?name=t0', { date: new Date(date) });
    expect(good.status).toBe(200);
    // Sign one URL, send another.
    const { signRequest } = await import('@odps-ts/auth');
    const headers = { Date: date };
    const auth = signRequest({ method: 'GET', url: `${emu.endpoint}/projects/demo/tables?name=t0`, headers }, { accessKeyId: emu.accessKeyId, accessKeySecret: emu.accessKeySecret }, { endpoint: emu.endpoint });
    const res = await request(`${emu.endpoint}/projects/demo/tables?name=t1`, { headers: { ...headers, ...auth } });
    expect(res.statusCode).toBe(401);
    await res.body.dump();
  });

  it('accepts PyODPS double-decoded query signatures as well as the Java/Go form', async () => {
    const { signRequest } = await import('@odps-ts/auth');
    const creds = { accessKeyId: emu.accessKeyId, accessKeySecret: emu.accessKeySecret };
    const sent = `${emu.endpoint}/projects/demo/tables?name=a%2Bb`;
    for (const signedUrl of [sent, `${emu.endpoint}/projects/demo/tables?name=a%20b`]) {
      const headers = { Date: new Date().toUTCString() };
      const auth = signRequest({ method: 'GET', url: signedUrl, headers }, creds, { endpoint: emu.endpoint });
      const res = await request(sent, { headers: { ...headers, ...auth } });
      expect(res.statusCode).toBe(200);
      await res.body.dump();
    }
  });

  it('rejects an unknown access key with 401', async () => {
    const res = await call(emu, 'GET', '/projects/demo', { credentials: { accessKeyId: 'nobody', accessKeySecret: 'x' } });
    expect(res.status).toBe(401);
    expect(xmlText(res.text, 'Message')).toContain('ODPS-0410051');
  });

  it('rejects a request without Authorization', async () => {
    const res = await call(emu, 'GET', '/projects/demo', { credentials: null });
    expect(res.status).toBe(400);
    expect(xmlText(res.text, 'Code')).toBe('AuthorizationRequired');
  });

  it('rejects a Date more than 15 minutes off and answers its own Date', async () => {
    const res = await call(emu, 'GET', '/projects/demo', { date: new Date(Date.now() - 20 * 60_000) });
    expect(res.status).toBe(400);
    expect(xmlText(res.text, 'Code')).toBe('RequestTimeTooSkewd');
    expect(Math.abs(new Date(res.headers['date'] as string).getTime() - Date.now())).toBeLessThan(5000);
    const ok = await call(emu, 'GET', '/projects/demo', { date: new Date(Date.now() - 10 * 60_000) });
    expect(ok.status).toBe(200);
  });

  it('issues rotating STS credentials at the credentials URI; they sign requests until they expire', async () => {
    const r1 = await request(emu.credentialsUri);
    const c1 = (await r1.body.json()) as Record<string, string>;
    const r2 = await request(emu.credentialsUri);
    const c2 = (await r2.body.json()) as Record<string, string>;
    expect(c1['Code']).toBe('Success');
    expect(c1['Expiration']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(c2['AccessKeyId']).not.toBe(c1['AccessKeyId']);
    for (const c of [c1, c2]) {
      const creds = { accessKeyId: c['AccessKeyId'] as string, accessKeySecret: c['AccessKeySecret'] as string, securityToken: c['SecurityToken'] as string };
      const ok = await call(emu, 'GET', '/projects/demo', { credentials: creds });
      expect(ok.status).toBe(200);
    }
    // A wrong token for a valid STS key is refused.
    const wrongToken = await call(emu, 'GET', '/projects/demo', {
      credentials: { accessKeyId: c1['AccessKeyId'] as string, accessKeySecret: c1['AccessKeySecret'] as string, securityToken: 'bogus' },
    });
    expect(wrongToken.status).toBe(401);

    emu.faults.expireSts();
    const expired = await call(emu, 'GET', '/projects/demo', {
      credentials: { accessKeyId: c1['AccessKeyId'] as string, accessKeySecret: c1['AccessKeySecret'] as string, securityToken: c1['SecurityToken'] as string },
    });
    expect(expired.status).toBe(401);
    expect(xmlText(expired.text, 'Code')).toBe('AuthenticationRequestExpired');
    // A fresh triple works again.
    const c3 = (await (await request(emu.credentialsUri)).body.json()) as Record<string, string>;
    const fresh = await call(emu, 'GET', '/projects/demo', {
      credentials: { accessKeyId: c3['AccessKeyId'] as string, accessKeySecret: c3['AccessKeySecret'] as string, securityToken: c3['SecurityToken'] as string },
    });
    expect(fresh.status).toBe(200);
  });

  it('signs tunnel paths against the bare host endpoint', async () => {
    const disc = await call(emu, 'GET', '/projects/demo/tunnel?service');
    expect(disc.status).toBe(200);
    expect(disc.text).toBe(emu.tunnelEndpoint.replace('http://', ''));
    // Tunnel space: signed against http://host:port, errors as JSON. The path has no route (404) but
    // authentication ran first.
    const ok = await call(emu, 'GET', '/projects/demo/no-such-tunnel-resource', { service: 'tunnel' });
    expect(ok.status).toBe(404);
    expect(JSON.parse(ok.text).Code).toBe('NoSuchObject');
    // A REST path signed as if it were relative to the bare host ('/api/projects/...') is refused.
    const { signRequest } = await import('@odps-ts/auth');
    const url = `${emu.endpoint}/projects/demo`;
    const headers = { Date: new Date().toUTCString() };
    const auth = signRequest({ method: 'GET', url, headers }, { accessKeyId: emu.accessKeyId, accessKeySecret: emu.accessKeySecret }, { endpoint: emu.tunnelEndpoint });
    const wrong = await request(url, { headers: { ...headers, ...auth } });
    expect(wrong.statusCode).toBe(401);
    await wrong.body.dump();
  });

  it('issues logview bearer tokens that grant read access to that instance only', async () => {
    const policy = {
      expires_in_hours: 1,
      policy: { Statement: [{ Action: ['odps:Read'], Effect: 'Allow', Resource: 'acs:odps:*:projects/demo/instances/20250101000000000gabc' }], Version: '1' },
    };
    const res = await call(emu, 'POST', '/projects/demo/authorization?sign_bearer_token', {
      body: JSON.stringify(policy),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(200);
    const token = xmlText(res.text, 'Result') as string;
    expect(token.length).toBeGreaterThan(20);
    // PyODPS BearerTokenAccount._reload_account: base64-decode, split(","), int(parts[2]) = Unix expiry.
    const expiry = Number(Buffer.from(token, 'base64').toString('utf8').split(',')[2]);
    expect(Math.abs(expiry - (Date.now() / 1000 + 3600))).toBeLessThan(60);
    const read = await call(emu, 'GET', '/projects/demo/instances/20250101000000000gabc', { credentials: null, headers: { 'x-odps-bearer-token': token } });
    expect(read.status).toBe(404); // allowed, but no such instance
    const other = await call(emu, 'GET', '/projects/demo/tables', { credentials: null, headers: { 'x-odps-bearer-token': token } });
    expect(other.status).toBe(403);
    const bogus = await call(emu, 'GET', '/projects/demo/instances/x', { credentials: null, headers: { 'x-odps-bearer-token': 'bogus' } });
    expect(bogus.status).toBe(401);
  });
});

describe('emulator logging', () => {
  it('never logs secrets, STS tokens or signatures', async () => {
    const lines: string[] = [];
    const log = (level: string) => (message: string, fields?: Record<string, unknown>) => lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
    const emu = await startEmulator({
      engine: fakeEngine(),
      accessKeySecret: 'root-secret-value',
      logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    });
    try {
      const c = (await (await request(emu.credentialsUri)).body.json()) as Record<string, string>;
      const sts = { accessKeyId: c['AccessKeyId'] as string, accessKeySecret: c['AccessKeySecret'] as string, securityToken: c['SecurityToken'] as string };
      const ok = await call(emu, 'GET', '/projects/demo', { credentials: sts });
      const bad = await call(emu, 'GET', '/projects/demo', { credentials: { accessKeyId: emu.accessKeyId, accessKeySecret: 'wrong' } });
      expect(bad.status).toBe(401);
      const policy = { policy: { Statement: [{ Action: ['odps:Read'], Effect: 'Allow', Resource: 'acs:odps:*:projects/demo/instances/x' }] } };
      const tok = await call(emu, 'POST', '/projects/demo/authorization?sign_bearer_token', { body: JSON.stringify(policy) });
      const token = xmlText(tok.text, 'Result') as string;
      await request(`${emu.tunnelEndpoint}/logview/?p=demo&i=x&token=${encodeURIComponent(token)}`).then((r) => r.body.dump());
      expect(ok.status).toBe(200);
      expect(lines.length).toBeGreaterThan(3);
      const all = lines.join('\n');
      for (const secret of ['root-secret-value', sts.accessKeySecret, sts.securityToken, token, encodeURIComponent(token)]) {
        expect(all).not.toContain(secret);
      }
      expect(all).not.toMatch(/ODPS [^ ]+:[A-Za-z0-9+/]{27}=/);
    } finally {
      await emu.close();
    }
  });
});
