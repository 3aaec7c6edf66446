// seedDemo(): deterministic demo tables (orders, customers, events) and a view for trying the emulator.
import { Timestamp } from '@odps-ts/odps-client';
import type { Engine } from './types.js';

/** mulberry32: small deterministic PRNG so every seeded database is identical. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CITIES = ['Hangzhou', 'Shanghai', 'Beijing', 'Shenzhen', 'Chengdu', 'Singapore', 'Frankfurt'];
const FIRST = ['Li', 'Wang', 'Zhang', 'Liu', 'Chen', 'Yang', 'Anna', 'Ben', 'Chloe', 'David', 'Emma', 'Felix'];
const LAST = ['Wei', 'Fang', 'Min', 'Jun', 'Smith', 'Müller', 'Tan', 'Lee', 'Garcia', 'Kim'];
const STATUSES = ['paid', 'paid', 'paid', 'shipped', 'refunded', 'cancelled'];
const TAGS = ['promo', 'mobile', 'web', 'gift', 'express', 'bulk'];
const EVENTS = ['login', 'view', 'add_to_cart', 'checkout', 'logout'];

export interface SeedDemoOptions {
  /** Orders per partition (3 partitions). Default 1000. */
  ordersPerDay?: number;
  customers?: number;
  events?: number;
}

/** Create and fill the demo tables in `project` unless they already exist. */
export async function seedDemo(engine: Engine, project = 'demo', opts: SeedDemoOptions = {}): Promise<void> {
  if (engine.getTable(project, 'ods_orders')) return;
  const rand = prng(20250101);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const nCustomers = opts.customers ?? 300;
  const perDay = opts.ordersPerDay ?? 1000;
  const nEvents = opts.events ?? 500;

  await engine.execute(
    project,
    `CREATE TABLE IF NOT EXISTS dim_customers (
       id BIGINT COMMENT 'customer id',
       name STRING COMMENT 'display name',
       city STRING COMMENT 'home city',
       signup DATE COMMENT 'signup day',
       vip BOOLEAN COMMENT 'VIP flag'
     ) COMMENT 'Customer dimension' LIFECYCLE 365;
     CREATE TABLE IF NOT EXISTS ods_orders (
       order_id BIGINT COMMENT 'order id',
       customer_id BIGINT COMMENT 'dim_customers.id',
       amount DECIMAL(18,2) COMMENT 'order total',
       status STRING COMMENT 'paid/shipped/refunded/cancelled',
       created_at DATETIME COMMENT 'order time',
       tags ARRAY<STRING> COMMENT 'order tags'
     ) COMMENT 'Raw orders' PARTITIONED BY (ds STRING COMMENT 'order day yyyymmdd') LIFECYCLE 30;
     CREATE TABLE IF NOT EXISTS ods_events (
       event_id BIGINT COMMENT 'event id',
       payload STRING COMMENT 'JSON payload',
       ts TIMESTAMP COMMENT 'event time (ns)',
       attrs MAP<STRING,STRING> COMMENT 'event attributes'
     ) COMMENT 'Raw click events' LIFECYCLE 7;`,
  );

  const customers: unknown[][] = [];
  const signupBase = Date.UTC(2023, 0, 1);
  for (let i = 1; i <= nCustomers; i++) {
    const day = new Date(signupBase + Math.floor(rand() * 700) * 86_400_000).toISOString().slice(0, 10);
    customers.push([BigInt(i), `${pick(FIRST)} ${pick(LAST)}`, pick(CITIES), day, rand() < 0.15]);
  }
  await engine.writeRows(project, 'dim_customers', customers, {});

  let orderId = 100000;
  for (const [d, ds] of [[1, '20250101'], [2, '20250102'], [3, '20250103']] as const) {
    const rows: unknown[][] = [];
    for (let i = 0; i < perDay; i++) {
      const cents = 100 + Math.floor(rand() * 99_900);
      const amount = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
      const created = new Date(Date.UTC(2025, 0, d) + Math.floor(rand() * 86_400_000));
      const tags = TAGS.filter(() => rand() < 0.25);
      rows.push([BigInt(++orderId), BigInt(1 + Math.floor(rand() * nCustomers)), amount, pick(STATUSES), created, tags]);
    }
    await engine.writeRows(project, 'ods_orders', rows, { partition: { ds }, createPartition: true });
  }

  const events: unknown[][] = [];
  const evBase = BigInt(Date.UTC(2025, 0, 1) / 1000);
  for (let i = 1; i <= nEvents; i++) {
    const kind = pick(EVENTS);
    const ts = new Timestamp(evBase + BigInt(Math.floor(rand() * 3 * 86400)), Math.floor(rand() * 1e9));
    const attrs = new Map<string, string>([['device', rand() < 0.6 ? 'mobile' : 'desktop'], ['kind', kind]]);
    events.push([BigInt(i), JSON.stringify({ event: kind, customer: 1 + Math.floor(rand() * nCustomers) }), ts, attrs]);
  }
  await engine.writeRows(project, 'ods_events', events, {});

  await engine.execute(
    project,
    `CREATE VIEW IF NOT EXISTS v_daily_sales COMMENT 'Paid order totals per day' AS
     SELECT ds, COUNT(*) AS orders, SUM(amount) AS total
     FROM ods_orders WHERE status = 'paid' GROUP BY ds;`,
  );
}
