// The mounted JSON credentials file source: rotation, re-reading, and secret-free errors.

import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CredentialProviderAccount, CredentialsError, type SignableRequest } from '../src/index.js';
import { isoSeconds, testClock } from './helpers/sts-server.js';

const EP = 'http://service.cn-hangzhou.maxcompute.aliyun.com/api';
const DATE = 'Mon, 13 Jan 2025 08:30:00 GMT';
const request: SignableRequest = { method: 'GET', url: `${EP}/projects/p`, headers: { Date: DATE } };
const STS = `GET\n\n\n${DATE}\n/projects/p`;
const MIN = 60_000;

function expected(id: string, secret: string, token?: string): Record<string, string> {
  const h: Record<string, string> = { Authorization: `ODPS ${id}:${createHmac('sha1', secret).update(STS).digest('base64')}` };
  if (token) h['authorization-sts-token'] = token;
  return h;
}

async function errorOf(p: Promise<unknown>): Promise<CredentialsError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(CredentialsError);
  return e as CredentialsError;
}

describe('credentials file source', () => {
  let dir: string;
  let file: string;
  let clock: ReturnType<typeof testClock>;
  const write = (data: unknown) => writeFile(file, typeof data === 'string' ? data : JSON.stringify(data));
  const account = (extra: Record<string, unknown> = {}) =>
    new CredentialProviderAccount(undefined, { env: {}, credentialsFile: file, libraryChain: false, now: clock.now, ...extra });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'odps-ts-auth-'));
    file = join(dir, 'credentials');
    clock = testClock();
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('signs with the file, then picks up a rotated file when refresh is due', async () => {
    await write({ AccessKeyId: 'file-key-1', AccessKeySecret: 'file-secret-1', SecurityToken: 'file-token-1', Expiration: isoSeconds(clock.t + 60 * MIN) });
    const a = account();
    expect(await a.authorize(request, { endpoint: EP })).toEqual(expected('file-key-1', 'file-secret-1', 'file-token-1'));
    await write({ AccessKeyId: 'file-key-2', AccessKeySecret: 'file-secret-2', SecurityToken: 'file-token-2', Expiration: isoSeconds(clock.t + 120 * MIN) });
    clock.advance(40 * MIN);
    expect(await a.authorize(request, { endpoint: EP })).toEqual(expected('file-key-1', 'file-secret-1', 'file-token-1'));
    clock.advance(6 * MIN); // 14 min left
    expect(await a.authorize(request, { endpoint: EP })).toEqual(expected('file-key-2', 'file-secret-2', 'file-token-2'));
    expect(a.describe()).toBe('CredentialProviderAccount(credentials-file)');
  });

  it('invalidate() re-reads the file immediately', async () => {
    await write({ AccessKeyId: 'file-key-1', AccessKeySecret: 'file-secret-1', SecurityToken: 'file-token-1', Expiration: isoSeconds(clock.t + 60 * MIN) });
    const a = account();
    await a.authorize(request, { endpoint: EP });
    await write({ AccessKeyId: 'file-key-3', AccessKeySecret: 'file-secret-3', SecurityToken: 'file-token-3', Expiration: isoSeconds(clock.t + 60 * MIN) });
    a.invalidate();
    expect(await a.authorize(request, { endpoint: EP })).toEqual(expected('file-key-3', 'file-secret-3', 'file-token-3'));
  });

  it('a file without Expiration (and token) is re-read after a minute', async () => {
    await write({ AccessKeyId: 'ak-1', AccessKeySecret: 'sk-1' });
    const a = account();
    expect(await a.authorize(request, { endpoint: EP })).toEqual(expected('ak-1', 'sk-1'));
    await write({ AccessKeyId: 'ak-2', AccessKeySecret: 'sk-2' });
    clock.advance(30_000);
    expect(await a.authorize(request, { endpoint: EP })).toEqual(expected('ak-1', 'sk-1'));
    clock.advance(31_000);
    expect(await a.authorize(request, { endpoint: EP })).toEqual(expected('ak-2', 'sk-2'));
  });

  it('accepts epoch-second and epoch-millisecond Expiration values', async () => {
    await write({ AccessKeyId: 'ak-e', AccessKeySecret: 'sk-e', Expiration: Math.floor((clock.t + 60 * MIN) / 1000) });
    expect((await account().getCredentials()).expiration?.getTime()).toBe(clock.t + 60 * MIN);
    await write({ AccessKeyId: 'ak-e', AccessKeySecret: 'sk-e', Expiration: clock.t + 60 * MIN });
    expect((await account().getCredentials()).expiration?.getTime()).toBe(clock.t + 60 * MIN);
  });

  it('malformed JSON names the file and never quotes the content', async () => {
    await write('{"AccessKeyId": "ak", "AccessKeySecret": "super-secret-value", ');
    const e = await errorOf(account().authorize(request, { endpoint: EP }));
    expect(e.code).toBe('MalformedCredentialsFile');
    expect(e.message).toContain(file);
    expect(e.message).toMatch(/not valid JSON/);
    expect(e.message).not.toContain('super-secret-value');
  });

  it('a missing or mistyped field is named, the secret and token are not', async () => {
    await write({ AccessKeyId: 'ak', SecurityToken: 'token-value-xyz' });
    const e1 = await errorOf(account().authorize(request, { endpoint: EP }));
    expect(e1.code).toBe('MalformedCredentialsFile');
    expect(e1.message).toMatch(/'AccessKeySecret'/);
    expect(e1.message).not.toContain('token-value-xyz');
    await write({ AccessKeyId: 42, AccessKeySecret: 'secret-value-abc' });
    const e2 = await errorOf(account().authorize(request, { endpoint: EP }));
    expect(e2.message).toMatch(/'AccessKeyId' is not a string/);
    expect(e2.message).not.toContain('secret-value-abc');
    await write({ AccessKeyId: 'ak', AccessKeySecret: 'secret-value-def', Expiration: 'next tuesday' });
    const e3 = await errorOf(account().authorize(request, { endpoint: EP }));
    expect(e3.message).toMatch(/'Expiration'/);
    expect(e3.message).not.toMatch(/secret-value-def|next tuesday/);
  });

  it('a broken file stops the chain (no silent fallback) and a fixed file then works', async () => {
    await write({ AccessKeyId: 'ak' });
    const a = account({ libraryChain: true });
    const e = await errorOf(a.authorize(request, { endpoint: EP }));
    expect(e.attempts.map((x) => x.source)).toEqual(['environment', 'credentials-uri', 'credentials-file']);
    expect(e.message).toMatch(/sources tried/);
    await write({ AccessKeyId: 'ak', AccessKeySecret: 'sk' });
    expect(await a.authorize(request, { endpoint: EP })).toEqual(expected('ak', 'sk'));
  });

  it('ALIBABA_CLOUD_CREDENTIALS_FILE selects the file; an INI profile file there is left to the library', async () => {
    await write({ AccessKeyId: 'env-file-ak', AccessKeySecret: 'env-file-sk' });
    const viaEnv = new CredentialProviderAccount(undefined, { env: { ALIBABA_CLOUD_CREDENTIALS_FILE: file }, libraryChain: false, now: clock.now });
    expect(await viaEnv.authorize(request, { endpoint: EP })).toEqual(expected('env-file-ak', 'env-file-sk'));
    await write('[default]\ntype = access_key\naccess_key_id = x\naccess_key_secret = ini-secret\n');
    const ini = new CredentialProviderAccount(undefined, { env: { ALIBABA_CLOUD_CREDENTIALS_FILE: file }, libraryChain: false, now: clock.now });
    const e = await errorOf(ini.authorize(request, { endpoint: EP }));
    expect(e.code).toBe('CredentialsNotFound');
    expect(e.message).toMatch(/not a JSON credentials file/);
    expect(e.message).not.toContain('ini-secret');
  });

  it('nothing configured: CredentialsNotFound lists every source and why; a later call retries', async () => {
    const env: Record<string, string | undefined> = {};
    const a = new CredentialProviderAccount(undefined, { env, credentialsFile: join(dir, 'absent'), libraryChain: false, now: clock.now });
    const e = await errorOf(a.authorize(request, { endpoint: EP }));
    expect(e.code).toBe('CredentialsNotFound');
    expect(e.attempts).toEqual([
      { source: 'environment', outcome: 'ALIBABA_CLOUD_ACCESS_KEY_ID not set' },
      { source: 'credentials-uri', outcome: 'ALIBABA_CLOUD_CREDENTIALS_URI not set' },
      { source: 'credentials-file', outcome: `${join(dir, 'absent')} not found` },
    ]);
    env['ALIBABA_CLOUD_ACCESS_KEY_ID'] = 'env-ak';
    env['ALIBABA_CLOUD_ACCESS_KEY_SECRET'] = 'env-sk';
    env['ALIBABA_CLOUD_SECURITY_TOKEN'] = 'env-token';
    expect(await a.authorize(request, { endpoint: EP })).toEqual(expected('env-ak', 'env-sk', 'env-token'));
    expect(a.describe()).toBe('CredentialProviderAccount(environment)');
  });

  it('half-configured environment keys are an error naming the missing variable only', async () => {
    const a = new CredentialProviderAccount(undefined, { env: { ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'lonely-secret' }, credentialsFile: file, libraryChain: false });
    const e = await errorOf(a.authorize(request, { endpoint: EP }));
    expect(e.message).toMatch(/ALIBABA_CLOUD_ACCESS_KEY_ID is not/);
    expect(e.message).not.toContain('lonely-secret');
  });

  // FIFOs, device files and mode bits are POSIX notions.
  describe.skipIf(process.platform === 'win32')('hostile files', () => {
    const TRIED = "[sources tried: environment (ALIBABA_CLOUD_ACCESS_KEY_ID not set); credentials-uri (ALIBABA_CLOUD_CREDENTIALS_URI not set); credentials-file (failed)]";
    const good = JSON.stringify({ AccessKeyId: 'ak', AccessKeySecret: 'sk-hostile-secret' });
    const mkfifo = (path: string) => execFileSync('mkfifo', [path]);
    let warn: ReturnType<typeof vi.spyOn>;
    beforeEach(() => {
      warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    });
    afterEach(() => {
      warn.mockRestore();
    });

    const refusedKinds: [string, () => Promise<string>, string][] = [
      ['a FIFO (no writer: must not hang)', async () => { const p = join(dir, 'fifo'); mkfifo(p); return p; }, 'not a regular file (FIFO)'],
      ['a symlink to a FIFO', async () => { const p = join(dir, 'fifo2'); mkfifo(p); await symlink(p, join(dir, 'link')); return join(dir, 'link'); }, 'not a regular file (FIFO)'],
      ['/dev/zero', async () => '/dev/zero', 'not a regular file (character device)'],
      ['/dev/null', async () => '/dev/null', 'not a regular file (character device)'],
      ['a directory', async () => { const p = join(dir, 'd'); await mkdir(p); return p; }, 'not a regular file (directory)'],
    ];
    for (const [what, make, why] of refusedKinds) {
      it(`${what} is refused with one exact, unwrapped message`, async () => {
        const path = await make();
        const e = await errorOf(account({ credentialsFile: path }).authorize(request, { endpoint: EP }));
        expect(e.code).toBe('MalformedCredentialsFile');
        expect(e.message).toBe(`credentials file ${path}: ${why} ${TRIED}`);
      });
    }

    it('a FIFO named by ALIBABA_CLOUD_CREDENTIALS_FILE is refused too (not left to the library)', async () => {
      const p = join(dir, 'fifo-env');
      mkfifo(p);
      const a = new CredentialProviderAccount(undefined, { env: { ALIBABA_CLOUD_CREDENTIALS_FILE: p }, libraryChain: false, now: clock.now });
      expect((await errorOf(a.authorize(request, { endpoint: EP }))).message).toContain('not a regular file (FIFO)');
    });

    it('a 10 MB file is refused; exactly 64 KiB is read', async () => {
      await write(good + ' '.repeat(64 * 1024 - good.length));
      expect(await account().authorize(request, { endpoint: EP })).toEqual(expected('ak', 'sk-hostile-secret'));
      await write(good + ' '.repeat(10 * 1024 * 1024));
      const e = await errorOf(account().authorize(request, { endpoint: EP }));
      expect(e.code).toBe('MalformedCredentialsFile');
      expect(e.message).toBe(`credentials file ${file}: larger than 65536 bytes ${TRIED}`);
    });

    it('errors are not wrapped twice: the reason appears once, then where it happened', async () => {
      await write({ AccessKeyId: 'ak', AccessKeySecret: 'sk-hostile-secret', Expiration: 'soon' });
      const e1 = await errorOf(account().authorize(request, { endpoint: EP }));
      expect(e1.message).toBe(`credentials file ${file}: field 'Expiration' is not a valid expiration time ${TRIED}`);
      await write({ AccessKeyId: 'ak' });
      const e2 = await errorOf(account().authorize(request, { endpoint: EP }));
      expect(e2.message).toBe(`credentials file ${file}: field 'AccessKeySecret' is missing ${TRIED}`);
      expect(e2.attempts.at(-1)).toEqual({ source: 'credentials-file', outcome: `failed: credentials file ${file}: field 'AccessKeySecret' is missing` });
      await chmod(file, 0o000);
      if (process.getuid?.() !== 0) {
        const e3 = await errorOf(account().authorize(request, { endpoint: EP }));
        expect(e3.message).toBe(`credentials file ${file}: cannot be read (EACCES) ${TRIED}`);
      }
    });

    it('an already-expired file is refused as CredentialsExpired and not re-read on every call', async () => {
      await write({ AccessKeyId: 'ak', AccessKeySecret: 'sk-hostile-secret', Expiration: isoSeconds(clock.t - MIN) });
      const a = account();
      const e = await errorOf(a.authorize(request, { endpoint: EP }));
      expect(e.code).toBe('CredentialsExpired');
      expect(e.message).not.toContain('sk-hostile-secret');
      // A fresh file is not seen until the backoff (1 s) has passed: proof the file is not re-read per call.
      await write({ AccessKeyId: 'ak2', AccessKeySecret: 'sk2' });
      expect((await errorOf(a.authorize(request, { endpoint: EP }))).code).toBe('CredentialsExpired');
      clock.advance(1_000);
      expect(await a.authorize(request, { endpoint: EP })).toEqual(expected('ak2', 'sk2'));
    });

    for (const mode of [0o620, 0o602, 0o666]) {
      it(`a ${mode.toString(8)} (group/world-writable) file works but warns once, naming the file and mode`, async () => {
        await write(good);
        await chmod(file, mode);
        const a = account();
        expect(await a.authorize(request, { endpoint: EP })).toEqual(expected('ak', 'sk-hostile-secret'));
        clock.advance(2 * MIN);
        await a.authorize(request, { endpoint: EP }); // re-read: no second warning
        expect(warn).toHaveBeenCalledTimes(1);
        const [message, options] = warn.mock.calls[0] as [string, { code: string; type: string }];
        expect(message).toBe(`credentials file ${file} is writable by ${mode & 0o020 ? 'its group' : ''}${mode & 0o020 && mode & 0o002 ? ' and ' : ''}${mode & 0o002 ? 'everyone' : ''} (mode ${mode.toString(8)}); anyone who can write it can swap the credentials`);
        expect(options).toEqual({ type: 'SecurityWarning', code: 'ODPS_CREDENTIALS_FILE_WRITABLE' });
        expect(message).not.toContain('sk-hostile-secret');
      });
    }

    it('a 600 or 644 file does not warn', async () => {
      await write(good);
      for (const mode of [0o600, 0o644, 0o400]) {
        await chmod(file, mode);
        await account().authorize(request, { endpoint: EP });
      }
      expect(warn).not.toHaveBeenCalled();
    });
  });
});
