// Exit codes by table, through the built binary: every bad invocation gets the README's code and a
// message on stderr; missing configuration is 2, server failures and bad server data are 1, never 2.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@odps-ts/emulator';
import { ensureBuilt } from './helpers/build.js';
import { baseEnv, emulatorEnv, runCli, tempDir } from './helpers/run-cli.js';
import { startTamperProxy, type Tamper, type TamperProxy } from './helpers/tamper-proxy.js';

let emu: Emulator;
let proxy: TamperProxy;
const home = tempDir();
const work = tempDir();
const aDir = path.join(work, 'a-directory');
mkdirSync(aDir);
const halfIni = path.join(work, 'half.ini');
writeFileSync(halfIni, 'project_name=demo\nend_point=http://127.0.0.1:1/api\naccess_id=only-the-id\n');
const garbageCredentials = path.join(work, 'credentials');
writeFileSync(garbageCredentials, '{ this is not a credentials file');

beforeAll(async () => {
  await ensureBuilt();
  emu = await startEmulator({ port: 0, logger: {} });
  proxy = await startTamperProxy(emu);
}, 120_000);

afterAll(async () => {
  await proxy?.close();
  await emu?.close();
});

type EnvKind = 'none' | 'emulator' | 'proxy' | 'noCredentials' | 'idWithoutSecret' | 'wrongSecret' | 'garbageCredentialsFile' | 'missingCredentialsFile';

function envFor(kind: EnvKind): Record<string, string> {
  const base = baseEnv(home);
  const target = { ODPS_ENDPOINT: emu.endpoint, ODPS_PROJECT_NAME: emu.project, ODPS_TUNNEL_ENDPOINT: emu.tunnelEndpoint };
  switch (kind) {
    case 'none':
      return base;
    case 'emulator':
      return { ...base, ...emulatorEnv(emu) };
    case 'proxy':
      return { ...base, ...emulatorEnv(emu), ODPS_ENDPOINT: proxy.endpoint, ODPS_TUNNEL_ENDPOINT: proxy.tunnelEndpoint };
    case 'noCredentials':
      return { ...base, ...target };
    case 'idWithoutSecret':
      return { ...base, ...target, ALIBABA_CLOUD_ACCESS_KEY_ID: emu.accessKeyId };
    case 'wrongSecret':
      return { ...base, ...emulatorEnv(emu), ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'wrong-secret' };
    case 'garbageCredentialsFile':
      return { ...base, ...target, ALIBABA_CLOUD_CREDENTIALS_FILE: garbageCredentials };
    case 'missingCredentialsFile':
      return { ...base, ...target, ALIBABA_CLOUD_CREDENTIALS_FILE: path.join(work, 'no-such-credentials') };
  }
}

interface Case {
  name: string;
  args: string[];
  env: EnvKind;
  code: number;
  /** Must appear on stderr. */
  says: RegExp;
  /** For the proxy: what it answers instead of the emulator. */
  tamper?: Tamper;
}

const USAGE_PREFIX = /^odps: error:/m;

const xmlAnswer = (body: string) => ({ headers: { 'content-type': 'application/xml' }, body });

const CASES: Case[] = [
  // Missing or bad configuration: 2.
  { name: 'no endpoint or project anywhere', args: ['tables'], env: 'none', code: 2, says: /missing endpoint/ },
  { name: 'no credentials found', args: ['tables'], env: 'noCredentials', code: 2, says: /no credentials found/ },
  { name: 'whoami without credentials', args: ['whoami'], env: 'noCredentials', code: 2, says: /no credentials found/ },
  { name: 'access key id without its secret in the environment', args: ['tables'], env: 'idWithoutSecret', code: 2, says: /ALIBABA_CLOUD_ACCESS_KEY_SECRET/ },
  { name: 'unparsable credentials file', args: ['tables'], env: 'garbageCredentialsFile', code: 2, says: /credentials/ },
  { name: 'credentials file that does not exist', args: ['tables'], env: 'missingCredentialsFile', code: 2, says: /no-such-credentials/ },
  { name: '--config that does not exist', args: ['--config', path.join(work, 'nope.ini'), 'tables'], env: 'none', code: 2, says: /config file not found/ },
  { name: '--config that is a directory', args: ['--config', aDir, 'tables'], env: 'none', code: 2, says: /cannot read config file/ },
  { name: 'ini with access_id but no access_key', args: ['--config', halfIni, 'tables'], env: 'none', code: 2, says: /access_id and access_key/ },
  { name: 'endpoint that is not http(s)', args: ['--endpoint', 'ftp://me:pw-in-url@127.0.0.1/api', 'tables'], env: 'emulator', code: 2, says: /endpoint/ },
  { name: 'endpoint that is not a URL', args: ['--endpoint', 'me:pw-in-url@nowhere', 'tables'], env: 'emulator', code: 2, says: /endpoint/ },
  { name: 'tunnel endpoint that is not a URL', args: ['--tunnel-endpoint', 'not a url', 'tables'], env: 'emulator', code: 2, says: /tunnel endpoint/ },
  { name: 'invalid project name', args: ['--project', 'bad-name!', 'tables'], env: 'emulator', code: 2, says: /project/ },
  { name: '--access-id without --access-key', args: ['--access-id', 'x', 'tables'], env: 'emulator', code: 2, says: /--access-key/ },
  // Command line and local files: 2.
  { name: 'unknown command', args: ['frobnicate'], env: 'emulator', code: 2, says: /unknown command/ },
  { name: 'unknown option', args: ['tables', '--nope'], env: 'emulator', code: 2, says: /unknown option/ },
  { name: 'sql without a query', args: ['sql'], env: 'emulator', code: 2, says: /no query/ },
  { name: 'sql -f of a missing file', args: ['sql', '-f', path.join(work, 'none.sql')], env: 'emulator', code: 2, says: /none\.sql/ },
  { name: 'upload of a missing file', args: ['upload', 'dim_customers', '-i', path.join(work, 'none.csv')], env: 'emulator', code: 2, says: /none\.csv/ },
  { name: 'upload of a directory', args: ['upload', 'dim_customers', '-i', aDir, '--format', 'csv'], env: 'emulator', code: 2, says: /a-directory.*is a directory/ },
  { name: 'download -o into a missing directory', args: ['download', 'dim_customers', '-o', path.join(work, 'missing-dir', 'x.csv')], env: 'emulator', code: 2, says: /missing-dir.*x\.csv.*(does not exist|no such)/ },
  { name: 'download -o a directory', args: ['download', 'dim_customers', '-o', aDir, '--format', 'csv'], env: 'emulator', code: 2, says: /a-directory.*is a directory/ },
  { name: 'sql -o into a missing directory', args: ['sql', 'select 1 as x', '-o', path.join(work, 'missing-dir', 'y.csv')], env: 'emulator', code: 2, says: /missing-dir.*y\.csv.*(does not exist|no such)/ },
  { name: 'download --limit 0', args: ['download', 'dim_customers', '--limit', '0'], env: 'emulator', code: 2, says: /--limit/ },
  { name: 'instance with two actions', args: ['instance', 'x', '--stop', '--wait'], env: 'emulator', code: 2, says: /choose one/ },
  // The server or the task failed: 1.
  { name: 'missing table', args: ['desc', 'no_such_table'], env: 'emulator', code: 1, says: /request id: \S+/ },
  { name: 'wrong secret', args: ['tables'], env: 'wrongSecret', code: 1, says: /request id: \S+/ },
  { name: 'nothing listening', args: ['--endpoint', 'http://127.0.0.1:1/api', 'tables'], env: 'emulator', code: 1, says: /NetworkError/ },
  { name: 'failing query', args: ['sql', 'select * from missing_table_q'], env: 'emulator', code: 1, says: /instance id: \S+/ },
  // Bad data from the server: 1, and not worded as a usage error.
  {
    name: 'malformed XML listing tables', args: ['tables'], env: 'proxy', code: 1, says: /XML/,
    tamper: (m, u) => (m === 'GET' && u.pathname.endsWith('/tables') ? xmlAnswer('<Tables><Table><Name>x</Name>') : undefined),
  },
  {
    // A listed partition whose name breaks the rules is still listed (a bad stored partition must not
    // hide the others); a listing that is not XML is bad server data.
    name: 'truncated partition listing', args: ['desc', 'ods_orders', '--partitions'], env: 'proxy', code: 1, says: /XML/,
    tamper: (m, u) => (m === 'GET' && u.searchParams.has('partitions') ? xmlAnswer('<?xml version="1.0"?><Partitions><Partition><Name>ds=1') : undefined),
  },
  {
    name: 'corrupt tunnel data', args: ['download', 'dim_customers', '--format', 'csv'], env: 'proxy', code: 1, says: /Tunnel|Checksum|corrupt|truncated/i,
    tamper: (m, u) => (m === 'GET' && u.searchParams.has('data') ? { headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from('\u0008\u00ff\u00ff\u00ff\u00ff\u000fgarbage bytes'.repeat(20), 'latin1') } : undefined),
  },
  {
    name: 'project answer that is not XML', args: ['whoami'], env: 'proxy', code: 1, says: /XML/,
    tamper: (m, u) => (m === 'GET' && /\/projects\/demo$/.test(u.pathname) ? xmlAnswer('this is <not xml') : undefined),
  },
];

describe('exit codes', () => {
  it.each(CASES)('$name → $code', async (c) => {
    proxy.tamper = c.tamper;
    const r = await runCli(c.args, { env: envFor(c.env), cwd: work });
    expect(r.code, r.stderr).toBe(c.code);
    expect(r.stderr).toMatch(c.says);
    expect(r.stdout + r.stderr).not.toContain('pw-in-url');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    if (c.code === 1) expect(r.stderr, 'a server failure is not worded as a usage error').not.toMatch(USAGE_PREFIX);
  });
});
