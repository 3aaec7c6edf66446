// A stopped or over-long SQL instance gives the engine back: its DuckDB query is interrupted.
import { afterEach, describe, expect, it } from 'vitest';
import { AliyunAccount } from '@odps-ts/auth';
import { ODPS, SqlError } from '@odps-ts/odps-client';
import type { Instance } from '@odps-ts/odps-client';
import { parseCliArgs } from '../../src/cli.js';
import { startEmulator, type Emulator, type StartEmulatorOptions } from '../../src/index.js';

/** A cross join of 4e5 x 4e5 generated rows: hours of DuckDB work unless interrupted. */
const ENDLESS =
  'SELECT count(*) AS n FROM (SELECT explode(sequence(1, 400000)) AS a) x CROSS JOIN (SELECT explode(sequence(1, 400000)) AS b) y WHERE a + b > 0';

describe('query interruption', () => {
  let emu: Emulator | undefined;
  let odps: ODPS | undefined;

  afterEach(async () => {
    await odps?.close();
    await emu?.close();
    odps = undefined;
    emu = undefined;
  });

  async function start(options: StartEmulatorOptions = {}): Promise<ODPS> {
    emu = await startEmulator({ seed: false, ...options });
    odps = new ODPS({
      account: new AliyunAccount(emu.accessKeyId, emu.accessKeySecret),
      project: emu.project,
      endpoint: emu.endpoint,
      retry: { baseDelayMs: 5, maxDelayMs: 20 },
    });
    return odps;
  }

  async function untilRunning(inst: Instance): Promise<void> {
    for (let i = 0; i < 400; i++) {
      const tasks = await inst.taskStatuses();
      if (tasks.some((t) => t.status.toUpperCase() === 'RUNNING')) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('the task never started');
  }

  it('stop() interrupts the running query and the next query answers', async () => {
    const client = await start();
    const inst = await client.runSql(ENDLESS);
    await untilRunning(inst);
    // Let DuckDB get into the join, so the interrupt hits a running query, not a queued one.
    await new Promise((r) => setTimeout(r, 200));
    await inst.stop();
    const next = await client.executeSql('SELECT 1 AS one');
    expect((await next.getResult()).rows.map((r) => r.map(String))).toEqual([['1']]);
    expect(await inst.status()).toBe('Terminated');
    expect((await inst.taskStatuses()).map((t) => t.status.toUpperCase())).toEqual(['CANCELLED']);
  }, 60_000);

  it('a stop that lands before the query starts still frees the engine', async () => {
    const client = await start();
    const inst = await client.runSql(ENDLESS);
    await inst.stop();
    const next = await client.executeSql('SELECT 2 AS two');
    expect((await next.getResult()).rows.map((r) => r.map(String))).toEqual([['2']]);
    expect(await inst.status()).toBe('Terminated');
  }, 60_000);

  it('a query longer than maxQueryMs fails with a clear error and frees the engine', async () => {
    const client = await start({ maxQueryMs: 300 });
    const err = await client.executeSql(ENDLESS).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SqlError);
    expect((err as Error).message).toMatch(/maximum query time of 300 ms and was interrupted/);
    const next = await client.executeSql('SELECT 3 AS three');
    expect((await next.getResult()).rows.map((r) => r.map(String))).toEqual([['3']]);
  }, 60_000);

  it('takes the bound from --max-query-time and rejects bounds that are not positive', async () => {
    expect(parseCliArgs(['--max-query-time', '2'])).toMatchObject({ maxQueryMs: 2000 });
    expect(() => parseCliArgs(['--max-query-time', '0'])).toThrow(/--max-query-time/);
    await expect(startEmulator({ maxQueryMs: 0 })).rejects.toThrow(/maxQueryMs must be a positive number/);
  });
});
