// Test-only: writes a partition row straight into a persisted catalog, as an older emulator might have left it.
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

/** Adds `spec` to table `table` of `project` in the `dataDir` catalog (the emulator must be closed). */
export async function plantPartition(dataDir: string, project: string, table: string, spec: Record<string, string>): Promise<void> {
  const db = await DuckDBInstance.create(join(dataDir, 'emulator.duckdb'));
  const conn = await db.connect();
  try {
    const key = Object.entries(spec).map(([k, v]) => `${k}=${v}`).join('/');
    await conn.run('INSERT INTO __odps_meta.partitions VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      project, 'default', table, key, JSON.stringify(spec), 0n, 0n,
    ]);
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}
