// Primary key rule of transactional (Delta) tables: keys are NOT NULL and unique per partition, the last write wins.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { TableInfo } from './types.js';
import { physicalTable, quoteIdent } from './physical-names.js';
import { semanticError } from './sql-error.js';
import type { SourcePos } from './sql-error.js';

/**
 * Enforce the key after a write, inside the writing transaction. Rows written by the open
 * transaction have larger DuckDB rowids than committed ones, and rows of one write are numbered
 * in order, so keeping the largest rowid per key keeps the newest row: an upsert, which is what
 * the service's upsert tunnel and INSERT into a primary-key table do [UNVERIFIED: which of two
 * equal keys in one batch survives on the service].
 */
export async function enforcePrimaryKey(conn: DuckDBConnection, info: TableInfo, pos: SourcePos | undefined): Promise<void> {
  const pk = info.primaryKey;
  if (!pk || pk.length === 0) return;
  const phys = physicalTable(info.project, info.schema, info.name);
  const nullCheck = pk.map((k) => `${quoteIdent(k)} IS NULL`).join(' OR ');
  const nulls = await conn.runAndReadAll(`SELECT count(*) FROM ${phys} WHERE ${nullCheck}`);
  if (Number(nulls.getRows()[0]![0]) > 0) {
    throw semanticError(pos, `primary key column ${pk.join(', ')} of ${info.project}.${info.name} cannot be NULL`);
  }
  const group = [...pk, ...info.partitionKeys.map((k) => k.name)].map(quoteIdent).join(', ');
  await conn.run(`DELETE FROM ${phys} WHERE rowid NOT IN (SELECT max(rowid) FROM ${phys} GROUP BY ${group})`);
}
