// `odps emulator`: starts a server, prints export lines that other `odps` commands can use, stops on SIGINT.
import { describe, expect, it } from 'vitest';
import { ensureBuilt } from './helpers/build.js';
import { until } from './helpers/pty.js';
import { baseEnv, runCli, startCli, tempDir } from './helpers/run-cli.js';

describe('odps emulator', () => {
  it('prints endpoint/project/credential exports, serves requests, and exits 0 on SIGINT', async () => {
    await ensureBuilt();
    const home = tempDir();
    const { child, result } = startCli(['emulator', '--port', '0'], { env: baseEnv(home) });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    try {
      await until(() => out.includes('ALIBABA_CLOUD_ACCESS_KEY_SECRET='), 20_000);
      const exported = Object.fromEntries([...out.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1] as string, m[2] as string]));
      expect(exported['ODPS_ENDPOINT']).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api$/);
      expect(exported['ODPS_PROJECT_NAME']).toBe('demo');
      expect(out).toMatch(/ALIBABA_CLOUD_CREDENTIALS_URI=http:\/\/127\.0\.0\.1:\d+\/credentials/);
      const r = await runCli(['tables', '--prefix', 'dim_'], { env: { ...baseEnv(home), ...exported } });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^dim_customers\t/);
    } finally {
      child.kill('SIGINT');
    }
    const done = await result;
    expect(done.code).toBe(0);
    expect(done.stderr).toContain('stopping emulator');
  }, 60_000);

  it('keeps a user-chosen secret out of its output', async () => {
    await ensureBuilt();
    const { child, result } = startCli(['--access-id', 'my-id', '--access-key', 'my-very-secret', 'emulator', '--no-seed'], { env: baseEnv(tempDir()) });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    try {
      await until(() => out.includes('ALIBABA_CLOUD_ACCESS_KEY_SECRET='), 20_000);
    } finally {
      child.kill('SIGINT');
    }
    const done = await result;
    expect(done.code).toBe(0);
    expect(out).toContain('ALIBABA_CLOUD_ACCESS_KEY_ID=my-id');
    expect(out + done.stderr).not.toContain('my-very-secret');
  }, 60_000);
});
