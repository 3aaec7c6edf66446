// `odps download|upload --compress lz4|zstd|deflate|none` through the built binary against the emulator.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@odps-ts/emulator';
import { ensureBuilt } from './helpers/build.js';
import { baseEnv, emulatorEnv, runCli, tempDir, type CliResult } from './helpers/run-cli.js';

let emu: Emulator;
let env: Record<string, string>;
let dir: string;
const odps = (args: string[]): Promise<CliResult> => runCli(args, { env, cwd: dir });

const ROWS = Array.from({ length: 300 }, (_, i) => ({ id: String(i), s: i % 9 === 0 ? null : `value ${i % 17}` }));

beforeAll(async () => {
  await ensureBuilt();
  emu = await startEmulator({ port: 0, logger: {} });
  env = { ...baseEnv(tempDir()), ...emulatorEnv(emu) };
  dir = tempDir();
  writeFileSync(path.join(dir, 'rows.ndjson'), ROWS.map((r) => `${JSON.stringify(r)}\n`).join(''));
}, 180_000);

afterAll(async () => {
  await emu?.close();
});

describe('--compress', () => {
  for (const codec of ['lz4', 'zstd', 'deflate', 'none']) {
    it(`${codec}: upload then download gives the same rows`, async () => {
      const table = `cz_${codec}`;
      expect((await odps(['sql', `create table ${table} (id bigint, s string)`])).code).toBe(0);
      const up = await odps(['upload', table, '-i', 'rows.ndjson', '--compress', codec]);
      expect(up.code, up.stderr).toBe(0);
      const down = await odps(['download', table, '--format', 'ndjson', '--compress', codec]);
      expect(down.code, down.stderr).toBe(0);
      const got = down.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string }).sort((a, b) => Number(a.id) - Number(b.id));
      expect(got).toEqual(ROWS);
    });
  }

  it('refuses an unknown codec as a usage error', async () => {
    const r = await odps(['download', 'cz_lz4', '--compress', 'snappy']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--compress/);
  });
});
