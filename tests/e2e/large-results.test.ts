// End-to-end: SQL results larger than the inline cap come whole through the instance tunnel, while the
// emulator keeps them in its engine (not as JS rows) and `?result` stays capped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ODPS } from '@odps-ts/odps-client';
import { startEmulatorClient, type EmulatorClient } from '../support/emulator-client.js';

describe('results over the inline cap', () => {
  let odps: ODPS;
  let env: EmulatorClient | undefined;
  beforeAll(async () => {
    env = await startEmulatorClient({ maxResultRows: 50 });
    ({ odps } = env);
  });
  afterAll(async () => {
    await env?.close();
  });

  it('reads every row through the tunnel, in order, with the right progress counts', async () => {
    const inst = await odps.executeSql('SELECT order_id, amount FROM ods_orders ORDER BY order_id');
    const inline = await inst.getResult();
    expect(inline.truncated).toBe(true);
    expect(inline.rows).toHaveLength(50);

    const rows: unknown[][] = [];
    for await (const row of inst.openReader()) rows.push(row);
    const count = await odps.executeSql('SELECT COUNT(*) FROM ods_orders');
    const [[total]] = (await count.getResult()).rows as [[bigint]];
    expect(rows).toHaveLength(Number(total));
    expect(rows.slice(0, 50)).toEqual(inline.rows);
    const ids = rows.map((r) => r[0] as bigint);
    expect(ids.every((id, i) => i === 0 || id > ids[i - 1]!)).toBe(true);

    const [task] = await inst.taskStatuses();
    const stages = await inst.taskProgress(task!.name);
    expect(stages[0]?.outputRecords).toBe(Number(total));
  });
});
