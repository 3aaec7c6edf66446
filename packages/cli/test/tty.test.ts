// Progress bars on a terminal (pty via util-linux `script`), none off a terminal, and Ctrl-C stopping SQL.
import { execFileSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@odps-ts/emulator';
import { BIN, ensureBuilt } from './helpers/build.js';
import { runInPty, until } from './helpers/pty.js';
import { baseEnv, emulatorEnv, runCli, startCli, tempDir } from './helpers/run-cli.js';

const hasScript = (() => {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

let emu: Emulator;
let env: Record<string, string>;
const BAR_CHARS = /[\u2588\u2591]/;
const ESC = '\u001b[';
// Slow down status polls so the SQL wait lasts long enough to draw a few frames.
const slowPolls = (count: number, latencyMs: number) => ({ method: 'GET', pathRegex: '/instances/[^/?]+$', latencyMs, count });

beforeAll(async () => {
  await ensureBuilt();
  emu = await startEmulator({ port: 0, logger: {} });
  env = { ...baseEnv(tempDir()), ...emulatorEnv(emu) };
}, 120_000);

afterEach(() => emu.faults.clear());

afterAll(async () => {
  await emu?.close();
});

describe.skipIf(!hasScript)('on a terminal', () => {
  it('prints the logview link first, then an SQL progress bar with percentage and elapsed time', async () => {
    emu.faults.add(slowPolls(3, 400));
    const run = runInPty([process.execPath, BIN, 'sql', 'select count(*) as n from ods_orders'], env);
    const code = await run.done;
    const out = run.output();
    expect(code).toBe(0);
    expect(out).toMatch(/logview: http\S*\/logview\/\?h=/);
    expect(out).toMatch(BAR_CHARS);
    expect(out).toMatch(/SQL .*\d+% \|.*elapsed/);
    expect(out).toContain('100%');
    expect(out.indexOf('logview:')).toBeLessThan(out.search(BAR_CHARS));
    // Data on a terminal defaults to the boxed table (a count is a number: right-aligned).
    expect(out).toMatch(/│ +n │/);
    expect(out).toContain('3000');
  });

  it('--no-progress keeps the terminal free of bars', async () => {
    const run = runInPty([process.execPath, BIN, '--no-progress', 'sql', 'select 1 as one'], env);
    expect(await run.done).toBe(0);
    expect(run.output()).not.toMatch(BAR_CHARS);
    expect(run.output()).not.toContain('logview:');
    expect(run.output()).toMatch(/│ one │/);
  });

  it('Ctrl-C stops the running instance and exits 130', async () => {
    emu.faults.add(slowPolls(20, 1000));
    emu.faults.add({ method: 'PUT', pathRegex: '/instances/[^/?]+$', latencyMs: 1, count: 1 });
    const run = runInPty([process.execPath, BIN, 'sql', 'select 1'], env);
    await until(() => BAR_CHARS.test(run.output()));
    run.child.stdin.write('\u0003');
    const code = await run.done;
    expect(code).toBe(130);
    expect(run.output()).toMatch(/stopped instance \S+/);
    // The one-shot PUT rule has fired: the stop request reached the server.
    expect(emu.faults.list().some((r) => r.method === 'PUT')).toBe(false);
  });
});

describe('off a terminal', () => {
  it('draws no bars and writes no escape codes on stderr; data only on stdout', async () => {
    emu.faults.add(slowPolls(2, 300));
    const r = await runCli(['sql', 'select count(*) as n from ods_orders'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('n\r\n3000\r\n');
    expect(r.stderr).toBe('');
    expect(r.stderr).not.toContain(ESC);
    expect(r.stderr).not.toMatch(BAR_CHARS);
  });

  it('SIGINT stops the instance (off a terminal too) and exits 130', async () => {
    emu.faults.add({ method: 'POST', pathRegex: '/instances/?$', latencyMs: 1, count: 1 });
    emu.faults.add(slowPolls(20, 1500));
    emu.faults.add({ method: 'PUT', pathRegex: '/instances/[^/?]+$', latencyMs: 1, count: 1 });
    const { child, result } = startCli(['sql', 'select 1'], { env });
    // The POST rule vanishes once the instance was submitted; the CLI is then waiting on a slow poll.
    await until(() => !emu.faults.list().some((r) => r.method === 'POST'));
    await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGINT');
    const r = await result;
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/stopped instance/);
    expect(r.stdout).toBe('');
    expect(emu.faults.list().some((x) => x.method === 'PUT')).toBe(false);
  });
});

describe.skipIf(!hasScript)('transfers on a terminal', () => {
  it('download and upload draw row/byte/rate/ETA bars', async () => {
    const dir = tempDir();
    const file = `${dir}/orders.csv`;
    const down = runInPty([process.execPath, BIN, 'download', 'ods_orders', '--partition', 'ds=20250101', '-o', file], env);
    expect(await down.done).toBe(0);
    const d = down.output();
    expect(d).toMatch(BAR_CHARS);
    expect(d).toMatch(/download .*100% \| 1,000 rows \| [\d.]+ (KiB|B) \| [\d,]+ rows\/s \| ETA/);
    expect(d).toContain('downloaded 1000 rows');
    const create = await runCli(['sql', 'create table tty_orders like ods_orders'], { env });
    expect(create.code, create.stderr).toBe(0);
    const up = runInPty([process.execPath, BIN, 'upload', 'tty_orders', '-i', file, '--partition', 'ds=20250101', '--create-partition'], env);
    expect(await up.done).toBe(0);
    const u = up.output();
    expect(u).toMatch(/upload .*100% \| 1,000 rows \| [\d.]+ KiB \| [\d.]+ (KiB|MiB|B)\/s/);
    expect(u).toContain('uploaded 1000 rows into tty_orders');
  });

  it('Ctrl-C during an upload aborts without committing', async () => {
    const dir = tempDir();
    const file = `${dir}/rows.ndjson`;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, Array.from({ length: 50 }, (_, i) => `{"id":"${i}","name":"n${i}"}\n`).join(''));
    expect((await runCli(['sql', 'create table tty_abort (id bigint, name string)'], { env })).code).toBe(0);
    // The block PUT hangs, so Ctrl-C lands while the data is in flight, before any commit.
    emu.faults.add({ method: 'PUT', path: '/tables/tty_abort', latencyMs: 5000, count: 5 });
    const up = runInPty([process.execPath, BIN, 'upload', 'tty_abort', '-i', file], env);
    await until(() => BAR_CHARS.test(up.output()));
    await new Promise((r) => setTimeout(r, 500));
    up.child.stdin.write('\u0003');
    expect(await up.done).toBe(130);
    expect(up.output()).toContain('nothing was committed');
    emu.faults.clear();
    const count = await runCli(['sql', 'select count(*) as n from tty_abort'], { env });
    expect(count.stdout).toBe('n\r\n0\r\n');
  });
});
