// `odps desc <table>`: table metadata, columns, partition keys, and optionally its partitions.
import type { Partition, Table } from '@odps-ts/odps-client';
import type { CommandContext } from '../context.js';
import { listText, writeJson } from '../output/text-lines.js';
import { formatBytes } from '../progress/format.js';

export interface DescOptions {
  partitions?: boolean;
  json?: boolean;
}

function columnsJson(cols: Table['schema']['columns']): unknown[] {
  return cols.map((c) => ({ name: c.name, type: c.type, ...(c.comment ? { comment: c.comment } : {}), ...(c.nullable !== undefined ? { nullable: c.nullable } : {}) }));
}

function partitionJson(p: Partition): unknown {
  return { spec: p.spec.toString(), values: p.spec.toObject(), recordNum: p.recordNum, size: p.size, creationTime: p.creationTime, lastModifiedTime: p.lastModifiedTime };
}

export async function run(ctx: CommandContext, name: string, opts: DescOptions): Promise<void> {
  const table = await ctx.client().tables.get(name);
  const partitions: Partition[] = [];
  if (opts.partitions && table.isPartitioned) for await (const p of table.partitions.list()) partitions.push(p);
  if (opts.json) {
    writeJson(ctx, {
      name: table.name, project: table.project, type: table.type, owner: table.owner, comment: table.comment, lifecycle: table.lifecycle,
      size: table.size, recordNum: table.recordNum, creationTime: table.creationTime, lastModifiedTime: table.lastModifiedTime,
      columns: columnsJson(table.schema.columns), partitionColumns: columnsJson(table.schema.partitionColumns),
      ...(table.viewText !== undefined ? { viewText: table.viewText } : {}),
      ...(opts.partitions ? { partitions: partitions.map(partitionJson) } : {}),
    });
    return;
  }
  const out = ctx.io.stdout;
  const info: [string, unknown][] = [
    ['table', `${table.project}.${table.name}`], ['type', table.type], ['owner', table.owner ?? null], ['comment', table.comment ?? null],
    ['lifecycle', table.lifecycle === undefined ? null : `${table.lifecycle} days`], ['size', table.size === undefined ? null : formatBytes(table.size)],
    ['records', table.recordNum ?? null], ['created', table.creationTime ?? null], ['last modified', table.lastModifiedTime ?? null],
  ];
  out.write(listText(ctx, ['property', 'value'], info.filter(([, v]) => v !== null && v !== undefined)));
  const cols = [
    ...table.schema.columns.map((c) => [c.name, c.type, c.nullable === false ? 'NOT NULL' : '', c.comment ?? '', '']),
    ...table.schema.partitionColumns.map((c) => [c.name, c.type, '', c.comment ?? '', 'partition key']),
  ];
  out.write(ctx.stdoutIsTTY ? '\n' : '\n');
  out.write(listText(ctx, ['column', 'type', 'null', 'comment', 'role'], cols));
  // A view is its query: printed as is (a TTY gets a title line), after the columns.
  if (table.viewText !== undefined) out.write(`\n${ctx.stdoutIsTTY ? 'view text:\n' : ''}${table.viewText.trimEnd()}\n`);
  if (opts.partitions) {
    out.write('\n');
    if (!table.isPartitioned) ctx.note(`${table.name} is not partitioned`);
    else out.write(listText(ctx, ['partition', 'records', 'size', 'last modified'], partitions.map((p) => [p.spec.toString(), p.recordNum ?? null, p.size ?? null, p.lastModifiedTime ?? null])));
  }
}
