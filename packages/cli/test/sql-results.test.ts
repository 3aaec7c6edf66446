// SQL results beyond the inline cap come through the instance tunnel, so nothing is cut off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@odps-ts/emulator';
import { ensureBuilt } from './helpers/build.js';
import { baseEnv, emulatorEnv, runCli, tempDir } from './helpers/run-cli.js';

let emu: Emulator;
let env: Record<string, string>;

beforeAll(async () => {
  await ensureBuilt();
  // A tiny inline cap: any bigger SELECT is "truncated" in `?result` and must be read via the tunnel.
  emu = await startEmulator({ port: 0, logger: {}, maxResultRows: 5 });
  env = { ...baseEnv(tempDir()), ...emulatorEnv(emu) };
}, 120_000);

afterAll(async () => {
  await emu?.close();
});

describe('large SQL results', () => {
  it('prints every row of a result larger than the inline cap', async () => {
    const r = await runCli(['sql', 'select id, name from dim_customers order by id', '--format', 'ndjson'], { env });
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string });
    expect(rows).toHaveLength(300);
    expect(rows[0]?.id).toBe('1');
    expect(rows[299]?.id).toBe('300');
    expect(r.stderr).toBe('');
  });
});
