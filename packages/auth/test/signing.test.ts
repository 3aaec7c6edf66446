// Table-driven signing tests; every expected string is derived by hand from rest.md §1.0–§1.5, §1.9.

import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  AliyunAccount,
  AppAccount,
  BearerTokenAccount,
  StsAccount,
  canonicalResource,
  formatHttpDate,
  signRequest,
  stringToSign,
  type SignableRequest,
  type SignOptions,
} from '../src/index.js';
import { signingKeyCacheSize } from '../src/signing/signing-key-cache.js';

const DATE = 'Mon, 13 Jan 2025 08:30:00 GMT';
const HOST = 'http://service.cn-hangzhou.maxcompute.aliyun.com';
const EP = `${HOST}/api`;
const TUNNEL = 'https://dt.cn-shanghai.maxcompute.aliyun.com';
const AK = 'LTAI-test-id';
const SECRET = 'test-secret';

interface Case {
  name: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  endpoint?: string;
  resource: string;
  sts: string;
}

const cases: Case[] = [
  {
    name: 'GET table listing: params sorted, x-odps-user-agent signed, User-Agent not',
    method: 'GET',
    url: `${EP}/projects/p1/tables?expectmarker=true&curr_project=p1`,
    headers: { Date: DATE, 'x-odps-user-agent': 'odps-ts/0.1', 'User-Agent': 'odps-ts/0.1' },
    resource: '/projects/p1/tables?curr_project=p1&expectmarker=true',
    sts: `GET\n\n\n${DATE}\nx-odps-user-agent:odps-ts/0.1\n/projects/p1/tables?curr_project=p1&expectmarker=true`,
  },
  {
    name: 'POST with Content-MD5 and Content-Type; Content-Length and Host unsigned',
    method: 'POST',
    url: `${EP}/projects/p1/instances`,
    headers: {
      'Content-Type': 'application/xml',
      'Content-MD5': '9e107d9d372bb6826bd81d3542a419d6',
      Date: DATE,
      'Content-Length': '120',
      Host: 'service.cn-hangzhou.maxcompute.aliyun.com',
    },
    resource: '/projects/p1/instances',
    sts: `POST\n9e107d9d372bb6826bd81d3542a419d6\napplication/xml\n${DATE}\n/projects/p1/instances`,
  },
  {
    name: 'PUT with type but no MD5 (empty MD5 line)',
    method: 'PUT',
    url: `${EP}/projects/p1/instances/20250113083000123gabc`,
    headers: { 'content-type': 'application/xml', date: DATE },
    resource: '/projects/p1/instances/20250113083000123gabc',
    sts: `PUT\n\napplication/xml\n${DATE}\n/projects/p1/instances/20250113083000123gabc`,
  },
  {
    name: 'DELETE without MD5 or type',
    method: 'DELETE',
    url: `${EP}/projects/p1/tables/t1`,
    headers: { Date: DATE },
    resource: '/projects/p1/tables/t1',
    sts: `DELETE\n\n\n${DATE}\n/projects/p1/tables/t1`,
  },
  {
    name: 'lower-case method is upper-cased (HEAD)',
    method: 'head',
    url: `${EP}/projects/p1/tables/t1`,
    headers: { Date: DATE },
    resource: '/projects/p1/tables/t1',
    sts: `HEAD\n\n\n${DATE}\n/projects/p1/tables/t1`,
  },
  {
    name: 'bare ?taskstatus',
    method: 'GET',
    url: `${EP}/projects/p/instances/i1?taskstatus`,
    headers: { Date: DATE },
    resource: '/projects/p/instances/i1?taskstatus',
    sts: `GET\n\n\n${DATE}\n/projects/p/instances/i1?taskstatus`,
  },
  {
    name: '?taskstatus= signs like the bare key',
    method: 'GET',
    url: `${EP}/projects/p/instances/i1?taskstatus=`,
    headers: { Date: DATE },
    resource: '/projects/p/instances/i1?taskstatus',
    sts: `GET\n\n\n${DATE}\n/projects/p/instances/i1?taskstatus`,
  },
  {
    name: 'valueless and empty params mixed with valued ones, sorted',
    method: 'GET',
    url: `${EP}/projects/p/instances/i1?result=&taskstatus&curr_project=p`,
    headers: { Date: DATE },
    resource: '/projects/p/instances/i1?curr_project=p&result&taskstatus',
    sts: `GET\n\n\n${DATE}\n/projects/p/instances/i1?curr_project=p&result&taskstatus`,
  },
  {
    name: 'encoded non-ASCII table name is signed decoded',
    method: 'GET',
    url: `${EP}/projects/p/tables/%E9%94%80%E5%94%AE_%E8%A1%A8`,
    headers: { Date: DATE },
    resource: '/projects/p/tables/销售_表',
    sts: `GET\n\n\n${DATE}\n/projects/p/tables/销售_表`,
  },
  {
    name: 'partition spec with quotes, commas, slashes and non-ASCII is decoded once and not re-encoded',
    method: 'GET',
    url: `${EP}/projects/p/tables/t?partition=pt%3D%27a%2Fb%27%2Cregion%3D%27%E5%8C%97%27&partitions`,
    headers: { Date: DATE },
    resource: "/projects/p/tables/t?partition=pt='a/b',region='北'&partitions",
    sts: `GET\n\n\n${DATE}\n/projects/p/tables/t?partition=pt='a/b',region='北'&partitions`,
  },
  {
    name: 'case-sensitive code-point sort (quotaName < quotaindex; curr_project < curr_schema < expectmarker)',
    method: 'GET',
    url: `${EP}/projects/p/tables?quotaindex=1&quotaName=q&curr_schema=s&curr_project=p&expectmarker=true`,
    headers: { Date: DATE },
    resource: '/projects/p/tables?curr_project=p&curr_schema=s&expectmarker=true&quotaName=q&quotaindex=1',
    sts: `GET\n\n\n${DATE}\n/projects/p/tables?curr_project=p&curr_schema=s&expectmarker=true&quotaName=q&quotaindex=1`,
  },
  {
    name: 'mixed-case X-ODPS headers: names lower-cased and sorted, values verbatim; other headers unsigned',
    method: 'GET',
    url: `${EP}/projects/p`,
    headers: {
      'X-ODPS-User-Agent': 'UA 1.0',
      'x-Odps-Request-Id': 'r1',
      'X-Odps-Supervision-Token': 'a:b c',
      'X-ODPS-Comment': '  two  spaces ',
      DATE: DATE,
      Accept: 'application/xml',
      Authorization: 'ODPS stale:xxxx=',
      'authorization-sts-token': 'not-signed-token',
      'application-authentication': 'stale',
    },
    resource: '/projects/p',
    sts:
      `GET\n\n\n${DATE}\nx-odps-comment:  two  spaces \nx-odps-request-id:r1\n` +
      `x-odps-supervision-token:a:b c\nx-odps-user-agent:UA 1.0\n/projects/p`,
  },
  {
    name: 'x-odps-* query params are promoted to headers (case-sensitive prefix) and stay in the resource',
    method: 'POST',
    url: `${EP}/projects/p/instances?x-odps-instance-priority=3&X-ODPS-Shout=1&x-odps-flag&curr_project=p`,
    headers: { Date: DATE, 'x-odps-user-agent': 'ua', 'Content-Type': 'application/xml' },
    resource: '/projects/p/instances?X-ODPS-Shout=1&curr_project=p&x-odps-flag&x-odps-instance-priority=3',
    sts:
      `POST\n\napplication/xml\n${DATE}\nx-odps-flag:\nx-odps-instance-priority:3\nx-odps-user-agent:ua\n` +
      '/projects/p/instances?X-ODPS-Shout=1&curr_project=p&x-odps-flag&x-odps-instance-priority=3',
  },
  {
    name: 'endpoint with a trailing slash: one / stripped, /api not in the resource',
    method: 'GET',
    url: `${EP}/projects/p/tables/t`,
    endpoint: `${EP}/`,
    headers: { Date: DATE },
    resource: '/projects/p/tables/t',
    sts: `GET\n\n\n${DATE}\n/projects/p/tables/t`,
  },
  {
    name: 'endpoint with a deeper path and a port',
    method: 'GET',
    url: 'http://127.0.0.1:8080/odps/api/projects/p?curr_schema=default',
    endpoint: 'http://127.0.0.1:8080/odps/api',
    headers: { Date: DATE },
    resource: '/projects/p?curr_schema=default',
    sts: `GET\n\n\n${DATE}\n/projects/p?curr_schema=default`,
  },
  {
    name: 'tunnel endpoint without a path: the whole URL path is the resource',
    method: 'POST',
    url: `${TUNNEL}/projects/p/tables/t/upload?uploadid=U1&partition=ds%3D%2720250101%27&blockid=0`,
    endpoint: TUNNEL,
    headers: { Date: DATE, 'Content-Type': 'application/octet-stream', 'x-odps-tunnel-version': '5' },
    resource: "/projects/p/tables/t/upload?blockid=0&partition=ds='20250101'&uploadid=U1",
    sts:
      `POST\n\napplication/octet-stream\n${DATE}\nx-odps-tunnel-version:5\n` +
      "/projects/p/tables/t/upload?blockid=0&partition=ds='20250101'&uploadid=U1",
  },
  {
    name: 'tunnel endpoint given with a trailing slash',
    method: 'GET',
    url: `${TUNNEL}/projects/p/tables/t/download?downloadid=D1`,
    endpoint: `${TUNNEL}/`,
    headers: { Date: DATE },
    resource: '/projects/p/tables/t/download?downloadid=D1',
    sts: `GET\n\n\n${DATE}\n/projects/p/tables/t/download?downloadid=D1`,
  },
  {
    name: 'once-decoding (Java/Go): %2B is +, raw + is space, %2541 stays %41, %26 does not split, = inside a value',
    method: 'GET',
    url: `${EP}/projects/p/tables?marker=a%2Bb&q=x+y&lit=%2541&amp=a%26b&eq=a=b&sp=a%20b`,
    headers: { Date: DATE },
    resource: '/projects/p/tables?amp=a&b&eq=a=b&lit=%41&marker=a+b&q=x y&sp=a b',
    sts: `GET\n\n\n${DATE}\n/projects/p/tables?amp=a&b&eq=a=b&lit=%41&marker=a+b&q=x y&sp=a b`,
  },
  {
    name: 'path: + stays literal, %2F decodes to /, a fragment is ignored',
    method: 'GET',
    url: `${EP}/projects/p/resources/a+b%2Fc.jar#frag`,
    headers: { Date: DATE },
    resource: '/projects/p/resources/a+b/c.jar',
    sts: `GET\n\n\n${DATE}\n/projects/p/resources/a+b/c.jar`,
  },
  {
    name: 'lower-case hex escapes decode the same as upper-case',
    method: 'GET',
    url: `${EP}/projects/p/tables/%e9%94%80%e5%94%ae_%e8%a1%a8?partition=ds%3d%2720250101%27`,
    headers: { Date: DATE },
    resource: "/projects/p/tables/销售_表?partition=ds='20250101'",
    sts: `GET\n\n\n${DATE}\n/projects/p/tables/销售_表?partition=ds='20250101'`,
  },
  {
    name: 'keys sort by code point: U+FF21 before U+1F600 (UTF-16 unit order would invert them)',
    method: 'GET',
    url: `${EP}/projects/p?%F0%9F%98%80=1&%EF%BC%A1=2&z=3`,
    headers: { Date: DATE },
    resource: '/projects/p?z=3&Ａ=2&😀=1',
    sts: `GET\n\n\n${DATE}\n/projects/p?z=3&Ａ=2&😀=1`,
  },
  {
    name: 'malformed escapes stay literal, invalid UTF-8 becomes U+FFFD, a repeated key keeps the first value',
    method: 'GET',
    url: `${EP}/projects/p/resources/100%zz%2?v=%E9&a=1&a=2`,
    headers: { Date: DATE },
    resource: '/projects/p/resources/100%zz%2?a=1&v=\uFFFD',
    sts: `GET\n\n\n${DATE}\n/projects/p/resources/100%zz%2?a=1&v=\uFFFD`,
  },
];

function hmacSha1(key: string | Buffer, text: string): string {
  return createHmac('sha1', key).update(text, 'utf8').digest('base64');
}

function kSigning(secret: string, date: string, region: string, prefix = 'aliyun'): Buffer {
  const d = createHmac('sha256', `${prefix}_v4${secret}`).update(date).digest();
  const r = createHmac('sha256', d).update(region).digest();
  const s = createHmac('sha256', r).update('odps').digest();
  return createHmac('sha256', s).update(`${prefix}_v4_request`).digest();
}

function req(c: Case): SignableRequest {
  return { method: c.method, url: c.url, headers: c.headers ?? {} };
}

describe('canonical resource and string-to-sign (rest.md §1.2–§1.3)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const endpoint = c.endpoint ?? EP;
      expect(canonicalResource(req(c), endpoint)).toBe(c.resource);
      expect(stringToSign(req(c), { endpoint })).toBe(c.sts);
    });
  }

  it('rejects a URL whose path is not under the endpoint path', () => {
    expect(() => canonicalResource({ method: 'GET', url: `${HOST}/apix/projects/p`, headers: {} }, EP)).toThrow(/endpoint path/);
    expect(() => canonicalResource({ method: 'GET', url: `${HOST}/projects/p`, headers: {} }, EP)).toThrow(/endpoint path/);
  });
});

describe('v2 signatures (rest.md §1.4)', () => {
  for (const c of cases) {
    it(`AliyunAccount: ${c.name}`, async () => {
      const endpoint = c.endpoint ?? EP;
      const headers = await new AliyunAccount(AK, SECRET).authorize(req(c), { endpoint });
      expect(headers).toEqual({ Authorization: `ODPS ${AK}:${hmacSha1(SECRET, c.sts)}` });
    });
  }

  it('matches a literal known-answer vector (computed outside this code base)', () => {
    const c = cases[0] as Case;
    expect(signRequest(req(c), { accessKeyId: AK, accessKeySecret: SECRET }, { endpoint: EP })).toEqual({
      Authorization: `ODPS ${AK}:hZezaq9PctQaOeOVXJrmGsXiUzE=`,
    });
  });

  it('signs the UTF-8 bytes of non-ASCII secrets and resources', () => {
    const c = cases.find((x) => x.resource.includes('销售')) as Case;
    const secret = 'sëcret-密钥';
    const headers = signRequest(req(c), { accessKeyId: AK, accessKeySecret: secret }, { endpoint: EP });
    expect(headers['Authorization']).toBe(`ODPS ${AK}:${createHmac('sha1', Buffer.from(secret, 'utf8')).update(Buffer.from(c.sts, 'utf8')).digest('base64')}`);
  });
});

describe('STS, bearer and application accounts (rest.md §1.6–§1.8)', () => {
  const c = cases[0] as Case;

  it('StsAccount signs with the temporary key and adds authorization-sts-token after signing', async () => {
    const headers = await new StsAccount('STS.tmp-id', 'tmp-secret', 'tok/en+=').authorize(req(c), { endpoint: EP });
    expect(headers).toEqual({
      Authorization: `ODPS STS.tmp-id:${hmacSha1('tmp-secret', c.sts)}`,
      'authorization-sts-token': 'tok/en+=',
    });
  });

  it('signRequest adds the token header only for a non-empty token', () => {
    const creds = { accessKeyId: AK, accessKeySecret: SECRET, securityToken: '' };
    expect(Object.keys(signRequest(req(c), creds, { endpoint: EP }))).toEqual(['Authorization']);
  });

  it('BearerTokenAccount adds only x-odps-bearer-token (string or function)', async () => {
    expect(await new BearerTokenAccount('bearer-abc').authorize(req(c), { endpoint: EP })).toEqual({ 'x-odps-bearer-token': 'bearer-abc' });
    let n = 0;
    const account = new BearerTokenAccount(async () => `tok-${++n}`);
    expect(await account.authorize(req(c), { endpoint: EP })).toEqual({ 'x-odps-bearer-token': 'tok-1' });
    expect(await account.authorize(req(c), { endpoint: EP })).toEqual({ 'x-odps-bearer-token': 'tok-2' });
    await expect(new BearerTokenAccount(() => '').authorize(req(c), { endpoint: EP })).rejects.toMatchObject({ code: 'BearerTokenMissing' });
  });

  it('AppAccount countersigns the full Authorization value with the app secret', async () => {
    const inner = new AliyunAccount(AK, SECRET);
    const headers = await new AppAccount(inner, 'app-id-1', 'app-secret-1').authorize(req(c), { endpoint: EP });
    const authorization = `ODPS ${AK}:${hmacSha1(SECRET, c.sts)}`;
    expect(headers).toEqual({
      Authorization: authorization,
      'application-authentication': `account_provider:aliyun,signature_method:hmac-sha1,access_id:app-id-1,signature:${hmacSha1('app-secret-1', authorization)}`,
    });
  });

  it('AppAccount over STS keeps the token header and uses the custom prefix as provider', async () => {
    const inner = new StsAccount('STS.id', 'sts-secret', 'sts-token', { region: 'cn-beijing', signatureVersion: 'v4', signaturePrefix: 'acme' });
    const headers = await new AppAccount(inner, 'app2', 'app-secret-2').authorize(req(c), { endpoint: EP });
    const sig = hmacSha1(kSigning('sts-secret', '20250113', 'cn-beijing', 'acme'), c.sts);
    const authorization = `ODPS STS.id/20250113/cn-beijing/odps/acme_v4_request:${sig}`;
    expect(headers).toEqual({
      Authorization: authorization,
      'authorization-sts-token': 'sts-token',
      'application-authentication': `account_provider:acme,signature_method:hmac-sha1,access_id:app2,signature:${hmacSha1('app-secret-2', authorization)}`,
    });
  });

  it('AppAccount refuses an inner account that does not sign (bearer)', async () => {
    await expect(new AppAccount(new BearerTokenAccount('t'), 'a', 'b').authorize(req(c), { endpoint: EP })).rejects.toThrow(/no Authorization/);
  });
});

describe('v4 signatures (rest.md §1.5)', () => {
  const c = cases[0] as Case;

  it('matches a literal known-answer vector (computed outside this code base)', () => {
    const headers = signRequest(req(c), { accessKeyId: AK, accessKeySecret: SECRET }, { endpoint: EP, signatureVersion: 'v4', region: 'cn-hangzhou' });
    expect(headers).toEqual({ Authorization: `ODPS ${AK}/20250113/cn-hangzhou/odps/aliyun_v4_request:+c8lMKlfYcPow/V2FLv31jA3+y8=` });
  });

  it('two regions give two scopes and two signatures over the same string-to-sign', async () => {
    const results: Record<string, string>[] = [];
    for (const region of ['cn-hangzhou', 'cn-shanghai']) {
      const account = new AliyunAccount(AK, SECRET, { signatureVersion: 'v4', region });
      const headers = await account.authorize(req(c), { endpoint: EP });
      expect(headers).toEqual({
        Authorization: `ODPS ${AK}/20250113/${region}/odps/aliyun_v4_request:${hmacSha1(kSigning(SECRET, '20250113', region), c.sts)}`,
      });
      results.push(headers);
    }
    expect(results[0]?.['Authorization']).not.toBe(results[1]?.['Authorization']);
  });

  it('scope date follows the Date header across a UTC day boundary', () => {
    const before = 'Mon, 13 Jan 2025 23:59:59 GMT';
    const after = 'Tue, 14 Jan 2025 00:00:00 GMT';
    const opts: SignOptions = { endpoint: EP, signatureVersion: 'v4', region: 'cn-hangzhou' };
    const creds = { accessKeyId: AK, accessKeySecret: SECRET };
    const r1 = { method: 'GET', url: `${EP}/projects/p`, headers: { Date: before } };
    const r2 = { method: 'GET', url: `${EP}/projects/p`, headers: { Date: after } };
    const s1 = `GET\n\n\n${before}\n/projects/p`;
    const s2 = `GET\n\n\n${after}\n/projects/p`;
    expect(signRequest(r1, creds, opts)).toEqual({
      Authorization: `ODPS ${AK}/20250113/cn-hangzhou/odps/aliyun_v4_request:${hmacSha1(kSigning(SECRET, '20250113', 'cn-hangzhou'), s1)}`,
    });
    expect(signRequest(r2, creds, opts)).toEqual({
      Authorization: `ODPS ${AK}/20250114/cn-hangzhou/odps/aliyun_v4_request:${hmacSha1(kSigning(SECRET, '20250114', 'cn-hangzhou'), s2)}`,
    });
  });

  it('options.date overrides the Date header for the scope (UTC, not local time)', () => {
    const creds = { accessKeyId: AK, accessKeySecret: SECRET };
    const date = new Date(Date.UTC(2025, 11, 31, 23, 59, 59));
    const headers = signRequest(req(c), creds, { endpoint: EP, signatureVersion: 'v4', region: 'ap-southeast-1', date });
    expect(headers['Authorization']).toBe(
      `ODPS ${AK}/20251231/ap-southeast-1/odps/aliyun_v4_request:${hmacSha1(kSigning(SECRET, '20251231', 'ap-southeast-1'), c.sts)}`,
    );
  });

  it('custom signature prefix changes key derivation and scope; per-call options override account defaults', async () => {
    const account = new AliyunAccount(AK, SECRET, { signatureVersion: 'v2', region: 'cn-hangzhou' });
    const headers = await account.authorize(req(c), { endpoint: EP, signatureVersion: 'v4', signaturePrefix: 'acme', region: 'cn-shenzhen' });
    expect(headers).toEqual({
      Authorization: `ODPS ${AK}/20250113/cn-shenzhen/odps/acme_v4_request:${hmacSha1(kSigning(SECRET, '20250113', 'cn-shenzhen', 'acme'), c.sts)}`,
    });
  });

  it('STS token is added for v4 too', () => {
    const headers = signRequest(req(c), { accessKeyId: 'STS.x', accessKeySecret: 's', securityToken: 'T' }, { endpoint: EP, signatureVersion: 'v4', region: 'cn-hangzhou' });
    expect(headers).toEqual({
      Authorization: `ODPS STS.x/20250113/cn-hangzhou/odps/aliyun_v4_request:${hmacSha1(kSigning('s', '20250113', 'cn-hangzhou'), c.sts)}`,
      'authorization-sts-token': 'T',
    });
  });

  it('v4 without region, or without any date, is refused', () => {
    const creds = { accessKeyId: AK, accessKeySecret: SECRET };
    expect(() => signRequest(req(c), creds, { endpoint: EP, signatureVersion: 'v4' })).toThrow(/region/);
    const noDate = { method: 'GET', url: `${EP}/projects/p`, headers: {} };
    expect(() => signRequest(noDate, creds, { endpoint: EP, signatureVersion: 'v4', region: 'cn-hangzhou' })).toThrow(/Date/);
  });

  it('keeps the derived-key cache bounded', () => {
    const creds = { accessKeyId: AK, accessKeySecret: SECRET };
    for (let i = 0; i < 100; i++) {
      signRequest(req(c), creds, { endpoint: EP, signatureVersion: 'v4', region: 'cn-hangzhou', date: new Date(Date.UTC(2020, 0, 1) + i * 86_400_000) });
    }
    expect(signingKeyCacheSize()).toBeLessThanOrEqual(32);
  });
});

describe('formatHttpDate', () => {
  it('formats RFC 1123 GMT with a two-digit day', () => {
    expect(formatHttpDate(new Date(Date.UTC(2025, 0, 3, 8, 5, 9)))).toBe('Fri, 03 Jan 2025 08:05:09 GMT');
    expect(formatHttpDate(new Date(Date.UTC(2025, 0, 13, 8, 30, 0)))).toBe(DATE);
    expect(formatHttpDate(new Date(Date.UTC(2024, 1, 29, 23, 59, 59, 999)))).toBe('Thu, 29 Feb 2024 23:59:59 GMT');
  });
});
