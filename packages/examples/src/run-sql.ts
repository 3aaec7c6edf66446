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
  let header = false;
  for await (const row of instance.openReader({ asObjects: true })) {
    if (!header) {
      console.log(Object.keys(row).join('\t'));
      header = true;
    }
    console.log(Object.values(row).map(formatValue).join('\t'));
  }
});

function formatValue(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  return String(value);
}
