// `table.head(n)`: the first rows of a table or partition through `GET …/tables/<t>?data&linenum=n` (PyODPS `head`).
import { OdpsArgumentError } from '../errors.js';
import { parseCsv } from '../sql/csv.js';
import { validateName } from '../sql/quote.js';
import { castResultValue, resultTypes } from '../sql/result-values.js';
import type { Row } from '../sql/result.js';
import type { Column } from '../types/index.js';
import type { CallOptions, OdpsContext } from './context.js';
import { PartitionSpec, type PartitionSpecInput } from '../core/partition-spec.js';
import type { TableMeta } from './table-meta.js';
import { dataTimeZone } from './time-zone.js';

/** PyODPS: "10000 at most". */
export const MAX_HEAD_ROWS = 10_000;
// A 10 000-row preview of wide rows is still small; the cap guards against a runaway answer.
const MAX_HEAD_BYTES = 256 * 1024 * 1024;

export interface HeadOptions extends CallOptions {
  /** Only this partition. */
  partition?: PartitionSpecInput;
  /** Only these columns (data or partition columns); the answer keeps table order. */
  columns?: string[];
  /** Zone of the DATETIME text (default: the project's `odps.sql.timezone`, else the client's `timeZone`, else UTC). */
  timeZone?: string;
}

export interface TableHead {
  /** Columns as the server sent them (header row), typed from the table schema. */
  columns: Column[];
  rows: Row[];
}

export async function tableHead(ctx: OdpsContext, t: TableMeta, schema: string | undefined, limit: number, options: HeadOptions = {}): Promise<TableHead> {
  if (!Number.isInteger(limit) || limit <= 0 || limit > MAX_HEAD_ROWS) {
    throw new OdpsArgumentError(`head: row count must be an integer from 1 to ${MAX_HEAD_ROWS}, got ${String(limit)}`);
  }
  const known = [...t.schema.columns, ...t.schema.partitionColumns];
  const byName = new Map(known.map((c) => [c.name.toLowerCase(), c]));
  const cols = (options.columns ?? []).map((c) => validateName(c, 'column name'));
  for (const c of cols) if (!byName.has(c.toLowerCase())) throw new OdpsArgumentError(`head: table ${t.name} has no column ${JSON.stringify(c)}`);
  const partition = options.partition === undefined ? undefined : PartitionSpec.from(options.partition).toString();
  const res = await ctx.transport.request({
    method: 'GET', path: ['projects', t.project, 'tables', t.name],
    query: {
      data: null, linenum: String(limit), partition, cols: cols.length > 0 ? cols.join(',') : undefined,
      // PyODPS names the schema `schema_name` on this call; every other table call uses `curr_schema`.
      ...(schema ? { curr_schema: schema, schema_name: schema } : {}),
    },
    signal: options.signal,
  });
  const table = parseCsv(await res.text({ maxBytes: MAX_HEAD_BYTES }));
  const header = (table.shift() ?? []).map((h) => h ?? '');
  const columns: Column[] = header.map((name) => ({ name, type: byName.get(name.toLowerCase())?.type ?? 'string' }));
  const types = resultTypes(columns.map((c) => c.type));
  const timeZone = columns.some((c) => /datetime/.test(c.type)) ? await dataTimeZone(ctx, t.project, { explicit: options.timeZone }) : undefined;
  const cast = timeZone ? { timeZone } : {};
  const rows = table.map((fields) => types.map((type, i) => castResultValue(fields[i] ?? null, type, cast)));
  return { columns, rows };
}
