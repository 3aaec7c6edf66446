// Generated table-maintenance SQL (TRUNCATE, RENAME, SET LIFECYCLE/COMMENT, column changes, TOUCH).
import { OdpsArgumentError } from '../errors.js';
import type { PartitionSpec } from '../core/partition-spec.js';
import { formatType, parseType, type OdpsType } from '../types/index.js';
import { columnSql, type ColumnDefinition } from './ddl.js';
import { qualifiedName, quoteIdent, quoteString } from './quote.js';

/** The table a statement addresses: `` `project`[.`schema`].`table` ``. */
export interface TableRef {
  project: string;
  schema?: string | undefined;
  name: string;
}

const target = (t: TableRef): string => qualifiedName(t.project, t.schema, t.name);

/** `TRUNCATE TABLE t [PARTITION (...), ...]` (PyODPS `Table.truncate`). */
export function truncateSql(t: TableRef, partitions: PartitionSpec[] = []): string {
  const parts = partitions.map((p) => ` PARTITION (${p.toSql()})`).join(',');
  return `TRUNCATE TABLE ${target(t)}${parts};`;
}

/** `ALTER TABLE t RENAME TO new`: the new name is bare, the service keeps project and schema. */
export function renameSql(t: TableRef, newName: string): string {
  return `ALTER TABLE ${target(t)} RENAME TO ${quoteIdent(newName, 'new table name')};`;
}

export function setLifecycleSql(t: TableRef, days: number): string {
  if (!Number.isSafeInteger(days) || days <= 0) throw new OdpsArgumentError(`lifecycle must be a positive integer number of days, got ${String(days)}`);
  return `ALTER TABLE ${target(t)} SET LIFECYCLE ${days};`;
}

export function setCommentSql(t: TableRef, comment: string): string {
  if (typeof comment !== 'string') throw new OdpsArgumentError('table comment must be a string');
  return `ALTER TABLE ${target(t)} SET COMMENT ${quoteString(comment)};`;
}

export function addColumnsSql(t: TableRef, columns: ColumnDefinition[], ifNotExists: boolean): string {
  if (!Array.isArray(columns) || columns.length === 0) throw new OdpsArgumentError(`add columns to ${t.name}: at least one column is required`);
  const seen = new Set<string>();
  for (const c of columns) {
    if (c.nullable === false) throw new OdpsArgumentError(`column ${c.name} added to an existing table must be nullable`);
    const k = String(c.name).toLowerCase();
    if (seen.has(k)) throw new OdpsArgumentError(`add columns to ${t.name}: column ${c.name} given twice`);
    seen.add(k);
  }
  return `ALTER TABLE ${target(t)} ADD COLUMNS ${ifNotExists ? 'IF NOT EXISTS ' : ''}(${columns.map(columnSql).join(', ')});`;
}

export function dropColumnsSql(t: TableRef, names: string[]): string {
  if (!Array.isArray(names) || names.length === 0) throw new OdpsArgumentError(`drop columns of ${t.name}: at least one column name is required`);
  return `ALTER TABLE ${target(t)} DROP COLUMNS ${names.map((n) => quoteIdent(n, 'column name')).join(', ')};`;
}

/** What `changeColumn` changes; at least one of them. */
export interface ColumnChange {
  newName?: string;
  /** New type (ODPS type text or tree); the service only allows widening changes. */
  type?: string | OdpsType;
  comment?: string;
}

/**
 * `ALTER TABLE t CHANGE COLUMN ...` in the SQL forms MaxCompute documents: `old RENAME TO new` for a
 * rename alone, `c COMMENT '...'` for a comment alone, else `old new TYPE [COMMENT '...']`.
 */
export function changeColumnSql(t: TableRef, column: string, change: ColumnChange, currentType?: string): string {
  const col = quoteIdent(column, 'column name');
  const head = `ALTER TABLE ${target(t)} CHANGE COLUMN ${col}`;
  const { newName, type, comment } = change;
  if (newName === undefined && type === undefined && comment === undefined) throw new OdpsArgumentError(`change column ${column}: give newName, type or comment`);
  if (comment !== undefined && typeof comment !== 'string') throw new OdpsArgumentError(`change column ${column}: comment must be a string`);
  if (type === undefined && comment === undefined) return `${head} RENAME TO ${quoteIdent(newName as string, 'new column name')};`;
  if (type === undefined && newName === undefined) return `${head} COMMENT ${quoteString(comment as string)};`;
  const typeText = type !== undefined ? formatType(typeof type === 'string' ? parseType(type) : type) : currentType;
  if (typeText === undefined) throw new OdpsArgumentError(`change column ${column}: its current type is unknown; give the type`);
  let sql = `${head} ${quoteIdent(newName ?? column, 'new column name')} ${typeText.toUpperCase()}`;
  if (comment !== undefined) sql += ` COMMENT ${quoteString(comment)}`;
  return sql + ';';
}

/** `ALTER TABLE t TOUCH [PARTITION (...)]` (documented form, as PyODPS `Table.touch`): bumps the modification time. */
export function touchSql(t: TableRef, partition?: PartitionSpec): string {
  return `ALTER TABLE ${target(t)} TOUCH${partition ? ` PARTITION (${partition.toSql()})` : ''};`;
}
