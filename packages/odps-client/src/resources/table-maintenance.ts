// Table maintenance behind Table's methods: generated SQL run as an instance and waited for, and the DDL text.
import { InvalidPartitionSpecError, OdpsArgumentError } from '../errors.js';
import {
  addColumnsSql, changeColumnSql, dropColumnsSql, renameSql, setCommentSql, setLifecycleSql, touchSql, truncateSql,
  type ColumnChange, type TableRef,
} from '../sql/alter-table.js';
import { createTableSql, namespaceHints, type ColumnDefinition } from '../sql/ddl.js';
import { qualifiedName } from '../sql/quote.js';
import type { CallOptions, OdpsContext } from './context.js';
import { PartitionSpec, type PartitionSpecInput } from '../core/partition-spec.js';
import type { TableMeta } from './table-meta.js';

export interface MaintenanceOptions extends CallOptions {
  /** Extra SQL settings for the instance. */
  hints?: Record<string, string>;
}

export interface TruncateOptions extends MaintenanceOptions {
  /** Truncate only these partitions (full specs); default: the whole table. */
  partitions?: PartitionSpecInput[];
}

export interface TouchOptions extends MaintenanceOptions {
  /** Touch one partition (full spec) instead of the table. */
  partition?: PartitionSpecInput;
}

/** A table a maintenance statement runs against, with what the checks need. */
export interface MaintainedTable extends TableRef {
  partitionKeys: string[];
  columns: { name: string; type: string }[];
}

/**
 * Run one generated statement and wait for success. Like PyODPS, the instance runs in the client's
 * project; the qualified name in the SQL addresses the table's own project.
 */
export async function runMaintenance(ctx: OdpsContext, t: MaintainedTable, sql: string, o: MaintenanceOptions = {}): Promise<void> {
  const inst = await ctx.runSql(sql, {
    hints: { ...namespaceHints(t.schema), ...o.hints },
    ...(o.signal ? { signal: o.signal } : {}),
  });
  await inst.waitForSuccess(o.signal ? { signal: o.signal } : {});
}

/** A full partition spec of `t` in key order; typed InvalidPartitionSpecError otherwise. */
function fullSpec(t: MaintainedTable, input: PartitionSpecInput): PartitionSpec {
  const spec = PartitionSpec.from(input);
  if (t.partitionKeys.length === 0) throw new InvalidPartitionSpecError(`table ${t.name} is not partitioned; no partition can be given`);
  const lower = new Map(spec.keys.map((k) => [k.toLowerCase(), spec.get(k) as string]));
  const missing = t.partitionKeys.filter((k) => !lower.has(k.toLowerCase()));
  const extra = spec.keys.filter((k) => !t.partitionKeys.some((p) => p.toLowerCase() === k.toLowerCase()));
  if (missing.length > 0 || extra.length > 0) {
    throw new InvalidPartitionSpecError(`partition ${spec.toString()} must name exactly the partition keys of ${t.name}: ${t.partitionKeys.join(', ')}`);
  }
  return new PartitionSpec(t.partitionKeys.map((k) => [k, lower.get(k.toLowerCase()) as string] as const));
}

export function truncateStatement(t: MaintainedTable, o: TruncateOptions): string {
  return truncateSql(t, (o.partitions ?? []).map((p) => fullSpec(t, p)));
}

export function touchStatement(t: MaintainedTable, o: TouchOptions): string {
  return touchSql(t, o.partition === undefined ? undefined : fullSpec(t, o.partition));
}

export const renameStatement = (t: MaintainedTable, newName: string): string => renameSql(t, newName);
export const lifecycleStatement = (t: MaintainedTable, days: number): string => setLifecycleSql(t, days);
export const commentStatement = (t: MaintainedTable, comment: string): string => setCommentSql(t, comment);
export const addColumnsStatement = (t: MaintainedTable, cols: ColumnDefinition[], ifNotExists: boolean): string => addColumnsSql(t, cols, ifNotExists);

export function dropColumnsStatement(t: MaintainedTable, names: string[]): string {
  for (const n of names ?? []) {
    if (t.partitionKeys.some((k) => k.toLowerCase() === String(n).toLowerCase())) throw new OdpsArgumentError(`${n} is a partition key of ${t.name}; partition keys cannot be dropped`);
  }
  return dropColumnsSql(t, names);
}

export function changeColumnStatement(t: MaintainedTable, column: string, change: ColumnChange): string {
  const current = t.columns.find((c) => c.name.toLowerCase() === String(column).toLowerCase());
  return changeColumnSql(t, column, change ?? {}, current?.type);
}

/**
 * `CREATE` text for loaded metadata, built client-side like PyODPS `get_ddl`/`gen_create_table_sql`
 * (no REST call): views become `CREATE [MATERIALIZED] VIEW ... AS <text>`.
 */
export function tableDdl(meta: TableMeta, schema: string | undefined): string {
  const name = qualifiedName(meta.project, schema ?? meta.schemaName, meta.name);
  if (meta.isVirtualView || meta.isMaterializedView) {
    const text = (meta.viewText ?? '').trim().replace(/;$/, '');
    if (!text) throw new OdpsArgumentError(`view ${meta.name} has no view text in its metadata`);
    return `CREATE ${meta.isMaterializedView ? 'MATERIALIZED ' : ''}VIEW ${name} AS ${text};`;
  }
  const col = (c: TableMeta['schema']['columns'][number]): ColumnDefinition => ({
    name: c.name, type: c.type,
    ...(c.comment ? { comment: c.comment } : {}),
    ...(c.nullable === false ? { nullable: false } : {}),
  });
  return createTableSql(meta.project, schema ?? meta.schemaName, meta.name, {
    columns: meta.schema.columns.map(col),
    partitionColumns: meta.schema.partitionColumns.map(col),
    ...(meta.comment ? { comment: meta.comment } : {}),
    ...(meta.lifecycle !== undefined ? { lifecycle: meta.lifecycle } : {}),
    ...(meta.transactional ? { transactional: true } : {}),
    ...(meta.primaryKey && meta.primaryKey.length > 0 ? { primaryKey: meta.primaryKey } : {}),
  });
}
