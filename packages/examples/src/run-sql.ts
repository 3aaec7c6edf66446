// Runs one SQL query (argv[2], or a sample aggregate over the demo data), showing progress, the
// logview link and the result rows.
import { runExample } from './connect.js';

const sql =
  process.argv[2] ??
  `SELECT status, COUNT(*) AS orders, SUM(amount) AS total
     FROM ods_orders
    GROUP BY status
    ORDER BY status;`;

await runExample(async ({ odps }) => {
  const instance = await odps.runSql(sql, { hints: { 'odps.sql.type.system.odps2': 'true' } });
  console.error(`instance ${instance.id}`);
  console.error(`logview: ${await instance.logviewUrl()}`);
  await instance.waitForSuccess({
    onProgress: (p) => {
      const stages = p.tasks.flatMap((t) => t.stages.map((s) => `${s.id} ${s.finishedPercentage ?? 0}%`)).join(', ');
      if (stages) console.error(`progress: ${stages}`);
    },
  });
  // Rows come through the instance tunnel (all of them, streamed), falling back to the inline result.
  const reader = instance.openReader();
  let rows = 0;
  for await (const row of reader) {
    if (rows++ === 0) console.log((reader.columns ?? []).map((c) => c.name).join('\t'));
    console.log(row.map(formatValue).join('\t'));
  }
  console.error(`${rows} row(s)`);
});

function formatValue(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  return String(value);
}
