// Table data preview over REST (PyODPS `Table.head` legacy path): `GET …/tables/<t>?data&linenum=N` answering CSV.
import type { TableInfo } from '../../engine/types.js';
import { EmulatorHttpError, httpErrors } from '../errors.js';
import { formatResultCsv } from '../instances/result-csv.js';
import type { RequestContext } from '../request-context.js';
import { parsePartitionSpec, specMatches } from './partition-spec.js';
import { DEFAULT_SCHEMA, requireProject } from './project-guard.js';

/** PyODPS documents 10000 records as the most `head()` returns. */
const MAX_LINES = 10_000;

function lineLimit(ctx: RequestContext): number {
  const text = ctx.q('linenum');
  if (text === undefined || text === '') return MAX_LINES; // [UNVERIFIED] the SDKs always send it
  if (!/^\d+$/.test(text) || Number(text) <= 0) {
    // The text the Java SDK raises itself for the same mistake.
    throw new EmulatorHttpError(400, 'InvalidArgument', "ODPS-0420061: Invalid parameter in HTTP request - 'linenum' must be bigger than zero!");
  }
  return Math.min(Number(text), MAX_LINES);
}

/** Wanted columns (`cols=a,b`), in table order: data columns, then partition columns. */
function wantedColumns(ctx: RequestContext, t: TableInfo): { data: string[]; keys: string[] } {
  const all = { data: t.columns.map((c) => c.name), keys: t.partitionKeys.map((c) => c.name) };
  const cols = (ctx.q('cols') ?? '').split(',').map((c) => c.trim().toLowerCase()).filter((c) => c !== '');
  if (cols.length === 0) return all;
  for (const c of cols) {
    if (!all.data.includes(c) && !all.keys.includes(c)) {
      throw new EmulatorHttpError(400, 'InvalidArgument', `ODPS-0420061: Invalid parameter in HTTP request - column '${c}' is not in table ${t.project}.${t.name}`);
    }
  }
  return { data: all.data.filter((c) => cols.includes(c)), keys: all.keys.filter((c) => cols.includes(c)) };
}

/**
 * CSV with a header row, the `?result` conventions (`\N` NULL, RFC 4180 quoting, DATETIME in the
 * project zone). [UNVERIFIED] Partition columns follow the data columns (PyODPS's reader maps header
 * names that are partition keys); rows come partition by partition in spec order.
 */
export async function tableData(ctx: RequestContext): Promise<void> {
  const project = requireProject(ctx);
  // PyODPS sends the schema as `schema_name` here; other table calls use `curr_schema`.
  const schema = ctx.q('schema_name') || ctx.q('curr_schema') || DEFAULT_SCHEMA;
  const name = ctx.param('table');
  const t = ctx.emu.engine.getTable(project, name, schema);
  if (!t) throw httpErrors.noSuchTable(project, schema, name);
  let left = lineLimit(ctx);
  const { data, keys } = wantedColumns(ctx, t);
  const specText = ctx.q('partition');
  const filter = specText ? parsePartitionSpec(specText) : undefined;
  if (filter && t.partitionKeys.length === 0) {
    throw new EmulatorHttpError(400, 'InvalidArgument', `ODPS-0130071:Semantic analysis exception - table ${t.project}.${t.name} is not partitioned.`);
  }
  const parts = t.partitionKeys.length === 0 ? [undefined] : ctx.emu.engine.listPartitions(project, t.name, schema).filter((p) => !filter || specMatches(p.spec, filter));
  if (filter && parts.length === 0) {
    throw new EmulatorHttpError(404, 'NoSuchPartition', `ODPS-0130131:Partition not found - ${specText} of table ${t.project}.${t.name}`);
  }
  const rows: unknown[][] = [];
  for (const p of parts) {
    if (left <= 0) break;
    // A data column list is needed by readRows; partition-key-only requests still read one column for the row count.
    const read = data.length > 0 ? data : [t.columns[0]!.name];
    const got = await ctx.emu.engine.readRows(project, t.name, { schema, columns: read, limit: left, ...(p ? { partition: p.spec } : {}) });
    for (const r of got) rows.push([...(data.length > 0 ? r : []), ...keys.map((k) => p?.spec[k] ?? null)]);
    left -= got.length;
  }
  const columns = [...data, ...keys].map((n) => [...t.columns, ...t.partitionKeys].find((c) => c.name === n)!);
  ctx.send(200, formatResultCsv(columns, rows, ctx.emu.config.timeZone), 'text/plain; charset=utf-8');
}
