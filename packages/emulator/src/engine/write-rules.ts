// Rules applied inside every write transaction: CHAR(n) blank padding, and the primary key rule of transactional tables.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { TableInfo } from './types.js';
import { parseType } from '@odps-ts/odps-client';
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
async function enforcePrimaryKey(conn: DuckDBConnection, info: TableInfo, pos: SourcePos | undefined): Promise<void> {
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

/**
 * CHAR(n) values are stored blank-padded to n, so every read (SQL, tunnel, readRows) returns them the
 * way the service does ("extra spaces are automatically filled"); nested CHAR inside complex types is not padded.
 */
async function padCharColumns(conn: DuckDBConnection, info: TableInfo): Promise<void> {
  const sets: string[] = [];
  const conds: string[] = [];
  for (const c of info.columns) {
    const t = parseType(c.type);
    if (t.kind !== 'char') continue;
    const col = quoteIdent(c.name);
    sets.push(`${col} = CASE WHEN length(${col}) < ${t.length} THEN rpad(${col}, ${t.length}, ' ') ELSE ${col} END`);
    conds.push(`length(${col}) < ${t.length}`);
  }
  if (sets.length === 0) return;
  await conn.run(`UPDATE ${physicalTable(info.project, info.schema, info.name)} SET ${sets.join(', ')} WHERE ${conds.join(' OR ')}`);
}

/** Run after rows were written to a table, in the same transaction (a failure rolls the write back). */
export async function applyWriteRules(conn: DuckDBConnection, info: TableInfo, pos: SourcePos | undefined): Promise<void> {
  await padCharColumns(conn, info);
  await enforcePrimaryKey(conn, info, pos);
}
