// Table list, table meta and partition routes (rest.md §3).
import type { PartitionInfo, TableInfo } from '../../engine/types.js';
import { EmulatorHttpError, httpErrors } from '../errors.js';
import { paginate } from '../paging.js';
import type { RequestContext } from '../request-context.js';
import type { Router } from '../router.js';
import { formatHttpDate } from '../time-format.js';
import { el } from '../xml.js';
import { formatPartitionSpec, parsePartitionSpec, partitionName, specMatches } from './partition-spec.js';
import { requireProject, requireSchema, schemaOf } from './project-guard.js';
import { tableData } from './table-data.js';
import { partitionListElement, partitionMetaElement, tableElement, tableExtendedElement, tableFileNum, tableListElement } from './table-xml.js';
import { tableStats } from '../table-stats.js';

// The engine does not measure storage; a table's logical size is estimated from its row count.
function requireTable(ctx: RequestContext, project: string): TableInfo {
  const schema = schemaOf(ctx);
  const name = ctx.param('table');
  const t = ctx.emu.engine.getTable(project, name, schema);
  if (!t) throw httpErrors.noSuchTable(project, schema, name);
  return t;
}

function noSuchPartition(t: TableInfo, spec: Record<string, string>): EmulatorHttpError {
  return new EmulatorHttpError(
    404,
    'NoSuchPartition',
    `ODPS-0130131:Partition not found - partition ${formatPartitionSpec(spec)} of table ${t.project}.${t.name} does not exist.`,
  );
}

function listTables(ctx: RequestContext): void {
  const project = requireProject(ctx);
  const prefix = ctx.q('name');
  const owner = ctx.q('owner');
  const type = ctx.q('type');
  requireSchema(ctx, project, schemaOf(ctx));
  const tables = ctx.emu.engine.listTables(project, {
    schema: schemaOf(ctx),
    ...(prefix ? { prefix } : {}),
    ...(owner ? { owner } : {}),
    ...(type ? { type } : {}),
  });
  const page = paginate(ctx, tables, (t) => t.name);
  const extended = ctx.has('extended');
  ctx.sendXml(
    el('Tables', [
      ...page.items.map((t) => tableListElement(t, extended)),
      el('Marker', page.marker),
      el('MaxItems', page.maxItems),
    ]),
  );
}

function listPartitions(ctx: RequestContext, t: TableInfo): void {
  if (t.partitionKeys.length === 0) {
    throw new EmulatorHttpError(400, 'InvalidArgument', `ODPS-0130071:Semantic analysis exception - table ${t.project}.${t.name} is not partitioned.`);
  }
  const filterText = ctx.q('partition');
  const filter = filterText ? parsePartitionSpec(filterText) : {};
  const reverse = ctx.has('reverse');
  let parts = ctx.emu.engine.listPartitions(t.project, t.name, t.schema).filter((p) => specMatches(p.spec, filter));
  const keyed = parts.map((p) => ({ p, key: partitionName(p.spec) }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  if (reverse) keyed.reverse();
  const page = paginate(ctx, keyed, (k) => k.key, reverse);
  parts = page.items.map((k) => k.p);
  // `name=` (empty) asks for names only [Go].
  const namesOnly = ctx.q('name') === '';
  ctx.sendXml(
    el('Partitions', [
      ...parts.map((p) => (namesOnly ? el('Partition', el('Name', partitionName(p.spec))) : partitionListElement(p))),
      el('Marker', page.marker),
      el('MaxItems', page.maxItems),
    ]),
  );
}

function findPartition(ctx: RequestContext, t: TableInfo, specText: string): PartitionInfo {
  const spec = parsePartitionSpec(specText);
  const keys = t.partitionKeys.map((k) => k.name.toLowerCase());
  if (Object.keys(spec).length !== keys.length || !keys.every((k) => k in spec)) {
    throw new EmulatorHttpError(
      400,
      'InvalidArgument',
      `ODPS-0420411:Invalid argument - partition spec '${specText}' must name exactly the partition keys (${keys.join(', ')}).`,
    );
  }
  const found = ctx.emu.engine.listPartitions(t.project, t.name, t.schema).find((p) => specMatches(p.spec, spec));
  if (!found) throw noSuchPartition(t, spec);
  return found;
}

async function getTable(ctx: RequestContext): Promise<void> {
  if (ctx.has('data')) return tableData(ctx);
  const project = requireProject(ctx);
  const t = requireTable(ctx, project);
  if (ctx.has('partitions')) return listPartitions(ctx, t);
  const specText = ctx.q('partition');
  if (specText !== undefined) {
    ctx.sendXml(partitionMetaElement(findPartition(ctx, t, specText), ctx.has('extended')));
    return;
  }
  const stats = await tableStats(ctx.emu.engine, t);
  if (ctx.has('extended')) {
    const parts = t.partitionKeys.length > 0 ? ctx.emu.engine.listPartitions(t.project, t.name, t.schema) : [];
    ctx.sendXml(tableExtendedElement(t, stats, tableFileNum(t, stats, parts)));
    return;
  }
  ctx.sendXml(tableElement(t, stats), {
    'x-odps-owner': t.owner,
    'x-odps-creation-time': formatHttpDate(t.createTime),
    'Last-Modified': formatHttpDate(t.lastModifiedTime),
  });
}

export function registerTableRoutes(router: Router): void {
  router.add('rest', 'GET', '/projects/:project/tables', listTables);
  router.add('rest', 'GET', '/projects/:project/tables/:table', getTable);
}
