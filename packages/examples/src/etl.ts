// ETL through the Tunnel: download a day of orders, aggregate per customer in a stream, upload the
// result into a partition of a summary table (created if missing), then check it with SQL.
import type { Row } from '@odps-ts/odps-client';
import { runExample } from './connect.js';

const SOURCE = process.env.ETL_SOURCE_TABLE ?? 'ods_orders';
const TARGET = process.env.ETL_TARGET_TABLE ?? 'dws_customer_daily';
const DAY = process.env.ETL_DAY ?? '20250101';

interface Totals {
  orders: number;
  amountCents: bigint;
  lastOrderAt: Date;
}

await runExample(async ({ odps }) => {
  const source = await odps.tables.get(SOURCE);
  const target = await odps.tables.create(TARGET, {
    columns: [
      { name: 'customer_id', type: 'bigint' },
      { name: 'orders', type: 'bigint' },
      { name: 'amount', type: 'decimal(18,2)' },
      { name: 'last_order_at', type: 'datetime' },
    ],
    partitionColumns: [{ name: 'ds', type: 'string' }],
    comment: 'orders per customer and day (written by the etl example)',
    lifecycle: 30,
    ifNotExists: true,
  });

  // Extract: only the columns we need, streamed (bounded memory however big the partition is).
  const reader = await source.openReader({ partition: { ds: DAY }, columns: ['customer_id', 'amount', 'status', 'created_at'] });
  const totals = new Map<bigint, Totals>();
  let read = 0;
  for await (const [customerId, amount, status, createdAt] of reader as AsyncIterable<Row>) {
    read += 1;
    if (status === 'cancelled' || customerId === null) continue;
    // Transform: DECIMAL arrives as exact text; sum in integer cents to stay exact.
    const t = totals.get(customerId as bigint) ?? { orders: 0, amountCents: 0n, lastOrderAt: new Date(0) };
    t.orders += 1;
    t.amountCents += toCents(amount as string | null);
    if (createdAt instanceof Date && createdAt > t.lastOrderAt) t.lastOrderAt = createdAt;
    totals.set(customerId as bigint, t);
  }

  // Load: one upload session, overwrite the day's partition, commit once.
  const writer = await target.openWriter({ partition: { ds: DAY }, overwrite: true, createPartition: true });
  try {
    const rows = [...totals].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    await writer.write(rows.map(([id, t]) => [id, BigInt(t.orders), fromCents(t.amountCents), t.lastOrderAt]));
    await writer.commit();
  } catch (err) {
    await writer.abort();
    throw err;
  }
  console.error(`read ${read} order(s) of ${SOURCE}/ds=${DAY}, wrote ${totals.size} row(s) to ${TARGET}/ds=${DAY}`);

  const check = await odps.executeSql(`SELECT COUNT(*) AS customers, SUM(orders) AS orders, SUM(amount) AS amount FROM ${TARGET} WHERE ds = '${DAY}'`);
  for await (const row of check.openReader()) console.log(`check: customers=${row[0]} orders=${row[1]} amount=${row[2]}`);
});

function toCents(decimal: string | null): bigint {
  if (decimal === null) return 0n;
  const negative = decimal.startsWith('-');
  const [whole = '0', frac = ''] = decimal.replace('-', '').split('.');
  const cents = BigInt(whole) * 100n + BigInt((frac + '00').slice(0, 2));
  return negative ? -cents : cents;
}

function fromCents(cents: bigint): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  return `${negative ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}
