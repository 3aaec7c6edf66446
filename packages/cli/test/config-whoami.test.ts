// Config resolution through the built binary: flags > env > odps_config.ini, and whoami's source report.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@odps-ts/emulator';
import { ensureBuilt } from './helpers/build.js';
import { baseEnv, emulatorEnv, runCli, tempDir } from './helpers/run-cli.js';

let emu: Emulator;

beforeAll(async () => {
  await ensureBuilt();
  emu = await startEmulator({ port: 0, logger: {} });
}, 120_000);

afterAll(async () => {
  await emu?.close();
});

function ini(values: Record<string, string>): string {
  return ['# odpscmd config', ...Object.entries(values).map(([k, v]) => `${k}=${v}`), 'https_check=true', ''].join('\n');
}

interface WhoamiJson {
  endpoint: { value: string; source: string };
  project: { value: string; source: string };
  tunnelEndpoint?: { value: string; source: string } | string;
  logviewHost?: { value: string; source: string } | string;
  credentials: { value: string; source: string };
  accessKeyId?: string;
  configFile: string;
  server?: { ok: boolean; detail: string };
}

describe('odps whoami', () => {
  it('reports environment sources and checks the server', async () => {
    const home = tempDir();
    const r = await runCli(['whoami', '--json'], { env: { ...baseEnv(home), ...emulatorEnv(emu) } });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as WhoamiJson;
    expect(j.endpoint).toEqual({ value: emu.endpoint, source: 'env ODPS_ENDPOINT' });
    expect(j.project).toEqual({ value: 'demo', source: 'env ODPS_PROJECT_NAME' });
    expect(j.credentials.source).toBe('env ALIBABA_CLOUD_ACCESS_KEY_ID');
    expect(j.credentials.value).toContain('environment');
    expect(j.accessKeyId).toBe('emul****');
    expect(j.server?.ok).toBe(true);
    expect(j.configFile).toContain('none');
    expect(r.stdout + r.stderr).not.toContain(emu.accessKeySecret);
  });

  it('reads ~/.odpscmd/odps_config.ini when nothing else is set, and never prints the key', async () => {
    const home = tempDir();
    mkdirSync(path.join(home, '.odpscmd'));
    const file = path.join(home, '.odpscmd', 'odps_config.ini');
    writeFileSync(file, ini({ project_name: 'demo', access_id: emu.accessKeyId, access_key: emu.accessKeySecret, end_point: emu.endpoint, tunnel_endpoint: emu.tunnelEndpoint, log_view_host: 'http://logview.example.com' }));
    const r = await runCli(['whoami', '--json'], { env: baseEnv(home), cwd: tempDir() });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as WhoamiJson;
    expect(j.endpoint.source).toBe(`config ${file} (end_point)`);
    expect(j.project.source).toBe(`config ${file} (project_name)`);
    expect(j.tunnelEndpoint).toEqual({ value: emu.tunnelEndpoint, source: `config ${file} (tunnel_endpoint)` });
    expect(j.logviewHost).toEqual({ value: 'http://logview.example.com', source: `config ${file} (log_view_host)` });
    expect(j.credentials.source).toBe(`config ${file} (access_id/access_key)`);
    expect(j.configFile).toBe(file);
    expect(j.server?.ok).toBe(true);
    expect(r.stdout + r.stderr).not.toContain(emu.accessKeySecret);
  });

  it('prefers ./odps_config.ini over the home one, env over ini, and flags over env', async () => {
    const home = tempDir();
    const cwd = tempDir();
    mkdirSync(path.join(home, '.odpscmd'));
    writeFileSync(path.join(home, '.odpscmd', 'odps_config.ini'), ini({ project_name: 'home_project', end_point: 'http://home.invalid/api' }));
    writeFileSync(path.join(cwd, 'odps_config.ini'), ini({ project_name: 'cwd_project', end_point: 'http://cwd.invalid/api', access_id: 'a', access_key: 'b' }));
    const env = { ...baseEnv(home), ODPS_PROJECT_NAME: 'env_project' };
    const r = await runCli(['whoami', '--json', '--no-check', '--endpoint', 'http://flag.invalid/api'], { env, cwd });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as WhoamiJson;
    expect(j.endpoint).toEqual({ value: 'http://flag.invalid/api', source: 'flag --endpoint' });
    expect(j.project).toEqual({ value: 'env_project', source: 'env ODPS_PROJECT_NAME' });
    expect(j.configFile).toBe(path.join(cwd, 'odps_config.ini'));
    expect(j.server).toBeUndefined();
  });

  it('uses --config and the credentials URI from the environment', async () => {
    const home = tempDir();
    const file = path.join(tempDir(), 'my.ini');
    writeFileSync(file, ini({ project_name: 'demo', end_point: emu.endpoint, access_id: 'ignored-id', access_key: 'ignored-key' }));
    const env = { ...baseEnv(home), ALIBABA_CLOUD_CREDENTIALS_URI: emu.credentialsUri };
    const r = await runCli(['--config', file, 'whoami', '--json'], { env });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as WhoamiJson;
    expect(j.credentials.source).toBe('env ALIBABA_CLOUD_CREDENTIALS_URI');
    expect(j.credentials.value).toContain('credentials-uri');
    expect(j.server?.ok).toBe(true);
  });

  it('prints a readable table off a TTY as tab-separated lines', async () => {
    const r = await runCli(['whoami', '--no-check'], { env: { ...baseEnv(tempDir()), ...emulatorEnv(emu) } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^endpoint\t.+\tenv ODPS_ENDPOINT$/m);
    expect(r.stdout).not.toContain('\u001b[');
    expect(r.stderr).toBe('');
    const checked = await runCli(['whoami'], { env: { ...baseEnv(tempDir()), ...emulatorEnv(emu) } });
    expect(checked.stdout).toMatch(/^server\tok \(project demo/m);
    expect(checked.stderr).toBe('');
  });

  it('masks a password or secret query parameter in every printed URL, in text and JSON', async () => {
    const withSecrets = (u: string): string => u.replace('http://', 'http://me:pw-in-url@') + '?token=tok-in-url&x=1';
    const env = { ...baseEnv(tempDir()), ...emulatorEnv(emu), ODPS_ENDPOINT: withSecrets(emu.endpoint), ODPS_TUNNEL_ENDPOINT: withSecrets(emu.tunnelEndpoint) };
    const flags = ['--logview-host', 'https://viewer:pw-in-url@logview.example.com/?signature=sig-in-url'];
    for (const args of [['whoami', '--no-check'], ['whoami', '--json', '--no-check'], ['whoami']]) {
      const r = await runCli([...flags, ...args], { env });
      const all = r.stdout + r.stderr;
      for (const secret of ['pw-in-url', 'tok-in-url', 'sig-in-url']) expect(all, args.join(' ')).not.toContain(secret);
      expect(r.stdout).toContain('http://me:***@127.0.0.1');
      expect(r.stdout).toContain('token=***&x=1');
    }
    const j = JSON.parse((await runCli([...flags, 'whoami', '--json', '--no-check'], { env })).stdout) as WhoamiJson;
    expect(j.endpoint.value).toBe(withSecrets(emu.endpoint).replace('pw-in-url', '***').replace('tok-in-url', '***'));
    expect(j.logviewHost).toEqual({ value: 'https://viewer:***@logview.example.com/?signature=***', source: 'flag --logview-host' });
  });

  it('exits 2 when endpoint or project is missing, naming where it looked', async () => {
    const home = tempDir();
    const r = await runCli(['whoami'], { env: baseEnv(home), cwd: home });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing endpoint');
    expect(r.stderr).toContain(path.join(home, '.odpscmd', 'odps_config.ini'));
  });

  it('exits 2 for a --config file that does not exist', async () => {
    const r = await runCli(['--config', '/nonexistent/odps_config.ini', 'whoami'], { env: baseEnv(tempDir()) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('config file not found');
  });

  it('exits 1 with the server message and request id when the credentials are wrong', async () => {
    const env = { ...baseEnv(tempDir()), ...emulatorEnv(emu), ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'wrong-secret' };
    const r = await runCli(['whoami'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/request id: \S+/);
    expect(r.stdout + r.stderr).not.toContain('wrong-secret');
  });
});
