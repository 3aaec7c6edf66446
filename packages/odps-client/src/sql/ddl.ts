// Generated DDL for tables and partitions (CREATE/DROP TABLE, ALTER TABLE ADD/DROP PARTITION).
import { OdpsArgumentError } from '../errors.js';
import type { PartitionSpec } from '../core/partition-spec.js';
import { formatType, parseType, type OdpsType } from '../types/index.js';
import { qualifiedName, quoteIdent, quoteString } from './quote.js';

export interface ColumnDefinition {
  name: string;
  /** ODPS type text (`bigint`, `decimal(38,18)`, `array<string>`...) or a parsed type tree. */
  type: string | OdpsType;
  comment?: string;
  /** false → NOT NULL. */
  nullable?: boolean;
}

export interface TableDefinition {
  columns: ColumnDefinition[];
  partitionColumns?: ColumnDefinition[];
  comment?: string;
  /** Days (positive integer). */
  lifecycle?: number;
  ifNotExists?: boolean;
  /** Creates a transactional table (`TBLPROPERTIES ("transactional"="true")`). */
  transactional?: boolean;
  primaryKey?: string[];
}

function typeText(t: string | OdpsType): string {
  // Round-tripping through the parser validates the type and yields canonical text.
  return formatType(typeof t === 'string' ? parseType(t) : t);
}

/** One column of a column list: `` `name` TYPE [NOT NULL] [COMMENT '...'] `` (shared with ALTER TABLE ADD COLUMNS). */
export function columnSql(c: ColumnDefinition): string {
  let s = `${quoteIdent(c.name, 'column name')} ${typeText(c.type).toUpperCase()}`;
  if (c.nullable === false) s += ' NOT NULL';
  if (c.comment) s += ` COMMENT ${quoteString(c.comment)}`;
  return s;
}

export function createTableSql(project: string, schema: string | undefined, name: string, def: TableDefinition): string {
  if (!Array.isArray(def.columns) || def.columns.length === 0) throw new OdpsArgumentError(`table ${name}: at least one column is required`);
  const seen = new Set<string>();
  for (const c of [...def.columns, ...(def.partitionColumns ?? [])]) {
    const k = c.name.toLowerCase();
    if (seen.has(k)) throw new OdpsArgumentError(`table ${name}: column ${c.name} defined twice`);
    seen.add(k);
  }
  const body = def.columns.map(columnSql);
  if (def.primaryKey && def.primaryKey.length > 0) body.push(`PRIMARY KEY (${def.primaryKey.map((k) => quoteIdent(k, 'primary key column')).join(', ')})`);
  let sql = `CREATE TABLE ${def.ifNotExists ? 'IF NOT EXISTS ' : ''}${qualifiedName(project, schema, name)} (\n  ${body.join(',\n  ')}\n)`;
  if (def.comment) sql += `\nCOMMENT ${quoteString(def.comment)}`;
  if (def.partitionColumns && def.partitionColumns.length > 0) sql += `\nPARTITIONED BY (${def.partitionColumns.map(columnSql).join(', ')})`;
  if (def.transactional) sql += `\nTBLPROPERTIES ("transactional"="true")`;
  if (def.lifecycle !== undefined) {
    if (!Number.isInteger(def.lifecycle) || def.lifecycle <= 0) throw new OdpsArgumentError(`lifecycle must be a positive integer, got ${def.lifecycle}`);
    sql += `\nLIFECYCLE ${def.lifecycle}`;
  }
  return sql + ';';
}

export function dropTableSql(project: string, schema: string | undefined, name: string, ifExists: boolean, view = false): string {
  return `DROP ${view ? 'VIEW' : 'TABLE'} ${ifExists ? 'IF EXISTS ' : ''}${qualifiedName(project, schema, name)};`;
}

export function addPartitionSql(project: string, schema: string | undefined, table: string, spec: PartitionSpec, ifNotExists: boolean): string {
  return `ALTER TABLE ${qualifiedName(project, schema, table)} ADD ${ifNotExists ? 'IF NOT EXISTS ' : ''}PARTITION (${spec.toSql()});`;
}

export function dropPartitionSql(project: string, schema: string | undefined, table: string, spec: PartitionSpec, ifExists: boolean): string {
  return `ALTER TABLE ${qualifiedName(project, schema, table)} DROP ${ifExists ? 'IF EXISTS ' : ''}PARTITION (${spec.toSql()});`;
}

/** Settings that make DDL address `project.schema.table` in three-tier projects. */
export function namespaceHints(schema: string | undefined): Record<string, string> {
  return schema ? { 'odps.namespace.schema': 'true', 'odps.sql.allow.namespace.schema': 'true' } : {};
}
