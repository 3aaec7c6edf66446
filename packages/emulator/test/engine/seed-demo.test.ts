// seedDemo: deterministic demo data with comments, lifecycle, partitions and a working view.
import { describe, expect, it } from 'vitest';
import { Timestamp } from '@odps-ts/odps-client';
import { createEngine, seedDemo } from '../../src/engine/index.js';

describe('seedDemo', () => {
  it('creates the demo tables deterministically', async () => {
    const a = await createEngine({});
    const b = await createEngine({});
    await seedDemo(a);
    await seedDemo(b, 'demo', {});
    await seedDemo(a); // second call is a no-op
    expect(a.listTables('demo').map((t) => `${t.name}:${t.type}`)).toEqual([
      'dim_customers:MANAGED_TABLE', 'ods_events:MANAGED_TABLE', 'ods_orders:MANAGED_TABLE', 'v_daily_sales:VIRTUAL_VIEW',
    ]);
    const orders = a.getTable('demo', 'ods_orders')!;
    expect(orders.lifecycle).toBe(30);
    expect(orders.comment).toBe('Raw orders');
    expect(orders.columns.map((c) => c.type)).toEqual(['bigint', 'bigint', 'decimal(18,2)', 'string', 'datetime', 'array<string>']);
    expect(a.listPartitions('demo', 'ods_orders').map((p) => [p.spec.ds, p.recordCount])).toEqual([
      ['20250101', 1000], ['20250102', 1000], ['20250103', 1000],
    ]);
    expect(await a.countRows('demo', 'dim_customers', {})).toBe(300);
    const q = 'SELECT * FROM v_daily_sales ORDER BY ds';
    const ra = await a.execute('demo', q);
    expect(ra.rows).toEqual((await b.execute('demo', q)).rows);
    expect(ra.rows).toHaveLength(3);
    const ev = await a.readRows('demo', 'ods_events', { columns: ['ts', 'attrs'] });
    expect(ev).toHaveLength(500);
    expect(ev[0]![0]).toBeInstanceOf(Timestamp);
    expect(ev[0]![1]).toBeInstanceOf(Map);
    const join = await a.execute(
      'demo',
      'SELECT c.city, COUNT(*) AS n FROM ods_orders o JOIN dim_customers c ON o.customer_id = c.id GROUP BY c.city ORDER BY n DESC LIMIT 3',
    );
    expect(join.rows).toHaveLength(3);
    await a.close();
    await b.close();
  });
});
