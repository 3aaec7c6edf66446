import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The executable is compiled JavaScript; this runs only after `pnpm build` (as the CI does).
const BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

describe.skipIf(!existsSync(BIN))('odps-emulator executable (built)', () => {
  it('has a node shebang', () => {
    expect(readFileSync(BIN, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('prints endpoint= once ready and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, '--port', '0', '--no-seed'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString('utf8');
        if (out.includes('\n')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
    });
    await ready;
    expect(out).toMatch(/^endpoint=http:\/\/127\.0\.0\.1:\d+\/api\n$/);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    const code = await exited;
    expect(err).toContain('stopping');
    expect(code).toBe(0);
    expect(out.trim().split('\n')).toHaveLength(1);
  });
});
