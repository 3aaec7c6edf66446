import { describe, expect, it } from 'vitest';
import { parseCliArgs, runCli, type CliIo } from '../../src/cli.js';
import type { Emulator } from '../../src/index.js';
import { call } from './helpers.js';

function fakeIo(): CliIo & { out: string[]; err: string[]; signal: (s: string) => void } {
  let handler: ((s: string) => void) | undefined;
  const io = {
    out: [] as string[],
    err: [] as string[],
    stdout: (l: string) => io.out.push(l),
    stderr: (l: string) => io.err.push(l),
    onSignal: (h: (s: string) => void) => {
      handler = h;
      return () => {
        handler = undefined;
      };
    },
    signal: (s: string) => handler?.(s),
  };
  return io;
}

describe('odps-emulator CLI', () => {
  it('parses flags', () => {
    const opts = parseCliArgs(['--port', '0', '--host', '127.0.0.1', '--project', 'p1', '--access-id', 'ak', '--access-key', 'sk', '--no-seed']);
    expect(opts).toMatchObject({ port: 0, host: '127.0.0.1', project: 'p1', accessKeyId: 'ak', accessKeySecret: 'sk', seed: false });
    expect(parseCliArgs(['--help'])).toBe('help');
    expect(() => parseCliArgs(['--port', 'x'])).toThrow(/--port/);
    expect(() => parseCliArgs(['--bogus'])).toThrow();
  });

  it('parses --time-zone and --namespace-schema; a bad zone fails at start with a typed error', async () => {
    expect(parseCliArgs(['--time-zone', 'Asia/Shanghai', '--namespace-schema'])).toMatchObject({ timeZone: 'Asia/Shanghai', namespaceSchema: true });
    const opts = parseCliArgs([]);
    expect(opts).not.toHaveProperty('timeZone');
    expect(opts).not.toHaveProperty('namespaceSchema');
    const io = fakeIo();
    expect(await runCli(['--port', '0', '--no-seed', '--time-zone', 'Nowhere/Land'], io)).not.toBe(0);
  });

  it('prints usage for --help and exits 2 on bad flags', async () => {
    const io = fakeIo();
    expect(await runCli(['--help'], io)).toBe(0);
    expect(io.out.join('\n')).toContain('Usage: odps-emulator');
    const bad = fakeIo();
    expect(await runCli(['--bogus'], bad)).toBe(2);
    expect(bad.out).toEqual([]);
  });

  it('prints exactly one endpoint= line, serves requests, and exits 0 on SIGTERM', async () => {
    const io = fakeIo();
    let emu: Emulator | undefined;
    const done = runCli(['--port', '0', '--project', 'cli', '--access-id', 'cli-ak', '--access-key', 'cli-sk', '--no-seed'], io, (e) => (emu = e));
    for (let i = 0; i < 200 && !emu; i++) await new Promise((r) => setTimeout(r, 25));
    expect(emu).toBeDefined();
    expect(io.out).toHaveLength(1);
    expect(io.out[0]).toMatch(/^endpoint=http:\/\/127\.0\.0\.1:\d+\/api$/);
    expect(io.err.join('\n')).not.toContain('cli-sk');
    const res = await call(emu as Emulator, 'GET', '/projects/cli');
    expect(res.status).toBe(200);
    io.signal('SIGTERM');
    expect(await done).toBe(0);
    await expect(call(emu as Emulator, 'GET', '/projects/cli')).rejects.toThrow();
  });
});
