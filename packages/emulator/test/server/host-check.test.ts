// Host header guard (DNS rebinding) and the warning for non-loopback binds, over raw node:http requests.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCliArgs, runCli, type CliIo } from '../../src/cli.js';
import { startEmulator, type Emulator, type StartEmulatorOptions } from '../../src/index.js';
import { fakeEngine } from './helpers.js';

/** GET /credentials with the given Host header (undefined: no Host header at all). */
function getWithHost(port: number, host: string | undefined): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/credentials', method: 'GET', setHost: false, headers: host === undefined ? {} : { Host: host } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function started(options: StartEmulatorOptions = {}): Promise<Emulator> {
  return startEmulator({ engine: fakeEngine(), ...options });
}

describe('Host header guard', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await started();
  });
  afterAll(async () => {
    await emu?.close();
  });

  const refused = (port: number): (string | undefined)[] => [
    'evil.example',
    `evil.example:${port}`,
    '',
    ' ',
    '127.0.0.1.evil.example',
    `127.0.0.1.evil.example:${port}`,
    `localhost.evil.example:${port}`,
    `evil.example@127.0.0.1:${port}`,
    `127.0.0.1:${port === 65535 ? 1 : port + 1}`,
    '127.0.0.1:abc',
    '127.0.0.1:',
    `::1:${port}`,
    `[::1]evil:${port}`,
    '[::1',
    `0.0.0.0:${port}`,
    `127.0.0.2:${port}`,
    undefined,
  ];
  const accepted = (port: number): string[] => [
    'localhost',
    `localhost:${port}`,
    `LocalHost:${port}`,
    '127.0.0.1',
    `127.0.0.1:${port}`,
    '[::1]',
    `[::1]:${port}`,
  ];

  it('answers 421 with the usual error body, and no credentials, to other Host headers', async () => {
    for (const host of refused(emu.port)) {
      const res = await getWithHost(emu.port, host);
      expect({ host, status: res.status }).toEqual({ host, status: host === undefined ? 400 : 421 });
      expect(res.body).not.toMatch(/AccessKeySecret|SecurityToken/);
      if (host !== undefined) {
        expect(res.body).toContain('<Code>InvalidArgument</Code>');
        expect(res.body).toContain('Host header does not name this emulator');
      }
    }
  });

  it('serves loopback names, with or without the port', async () => {
    for (const host of accepted(emu.port)) {
      const res = await getWithHost(emu.port, host);
      expect({ host, status: res.status }).toEqual({ host, status: 200 });
      expect(res.body).toContain('AccessKeySecret');
    }
  });

  it('also serves the names given in allowedHosts, and any name with allowedHosts: any', async () => {
    const named = await started({ allowedHosts: ['odps.test', '[fd00::1]'] });
    try {
      expect((await getWithHost(named.port, `odps.test:${named.port}`)).status).toBe(200);
      expect((await getWithHost(named.port, `[fd00::1]:${named.port}`)).status).toBe(200);
      expect((await getWithHost(named.port, 'evil.example')).status).toBe(421);
    } finally {
      await named.close();
    }
    const open = await started({ allowedHosts: 'any' });
    try {
      expect((await getWithHost(open.port, 'evil.example')).status).toBe(200);
    } finally {
      await open.close();
    }
  });

  it('parses --allowed-host (repeatable) and --allow-any-host', () => {
    expect(parseCliArgs(['--allowed-host', 'a.test', '--allowed-host', '[fd00::1]'])).toMatchObject({ allowedHosts: ['a.test', '[fd00::1]'] });
    expect(parseCliArgs(['--allow-any-host'])).toMatchObject({ allowedHosts: 'any' });
    expect(() => parseCliArgs(['--allow-any-host', '--allowed-host', 'a.test'])).toThrow(/exclude each other/);
    expect(() => parseCliArgs(['--allowed-host', 'a b'])).toThrow(/--allowed-host/);
  });
});

describe('non-loopback bind warning', () => {
  const WARNING = /not a loopback address.*credentials URI \(http:\/\/127\.0\.0\.1:\d+\/credentials\) is unauthenticated: anyone who can reach port \d+ can get working credentials/;

  it('warns through the logger when bound to 0.0.0.0, and not on loopback', async () => {
    for (const [host, expectWarning] of [['0.0.0.0', true], ['127.0.0.1', false], ['localhost', false]] as const) {
      const warnings: string[] = [];
      const emu = await started({ host, logger: { warn: (m) => warnings.push(m) } });
      await emu.close();
      if (expectWarning) expect(warnings.join('\n')).toMatch(WARNING);
      else expect(warnings).toEqual([]);
    }
  });

  it('odps-emulator --host 0.0.0.0 prints the warning on stderr', async () => {
    let handler: ((s: string) => void) | undefined;
    const err: string[] = [];
    const out: string[] = [];
    const io: CliIo = {
      stdout: (l) => out.push(l),
      stderr: (l) => err.push(l),
      onSignal: (h) => {
        handler = h;
        return () => (handler = undefined);
      },
    };
    let emu: Emulator | undefined;
    const done = runCli(['--host', '0.0.0.0', '--port', '0', '--no-seed'], io, (e) => (emu = e));
    for (let i = 0; i < 200 && !emu; i++) await new Promise((r) => setTimeout(r, 25));
    expect(emu).toBeDefined();
    expect(err.join('\n')).toMatch(WARNING);
    expect(out.join('\n')).not.toMatch(WARNING);
    handler?.('SIGTERM');
    expect(await done).toBe(0);
  });
});
