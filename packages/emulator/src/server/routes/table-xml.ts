// Table and partition response elements (rest.md §3.1-3.3): XML with the Schema JSON document inside.
import { createHash } from 'node:crypto';
import type { Column } from '@odps-ts/odps-client';
import type { PartitionInfo, TableInfo } from '../../engine/types.js';
import { formatHttpDate, unixSeconds } from '../time-format.js';
import { cdataEl, el, type Raw } from '../xml.js';

import type { TableStats } from '../table-stats.js';

function tableId(t: TableInfo): string {
  return createHash('md5').update(`${t.project}.${t.schema}.${t.name}`).digest('hex');
}

function columnJson(c: Column): Record<string, unknown> {
  return {
    name: c.name,
    type: c.type,
    comment: c.comment ?? '',
    label: '',
    isNullable: c.nullable ?? true,
    hasDefaultValue: false,
    hasGenerateExpression: false,
    extendedLabels: [],
  };
}

/**
 * The `Reserved` document: transactional flag and primary key always, cluster info when clustered, with
 * the key names and shapes PyODPS (odps/models/cluster_info.py) and the Java SDK (Table.parseClusterInfo) read.
 */
export function reservedJson(t: TableInfo): Record<string, unknown> {
  const doc: Record<string, unknown> = {
    Transactional: t.transactional ? 'true' : 'false',
    PrimaryKey: t.primaryKey ?? [],
    schema_version: '0',
  };
  const ci = t.clusterInfo;
  if (ci) {
    doc['ClusterType'] = ci.type;
    doc['BucketNum'] = ci.bucketNum;
    doc['ClusterCols'] = ci.columns;
    doc['SortCols'] = ci.sortColumns.map((c) => ({ col: c.name, order: c.order }));
  }
  return doc;
}

/** The JSON text of the `Schema` element. */
export function tableSchemaJson(t: TableInfo, stats: TableStats): string {
  const isView = t.type === 'VIRTUAL_VIEW';
  const doc: Record<string, unknown> = {
    tableName: t.name,
    owner: t.owner,
    comment: t.comment,
    projectName: t.project,
    schemaName: t.schema,
    columns: t.columns.map(columnJson),
    partitionKeys: t.partitionKeys.map(columnJson),
    createTime: unixSeconds(t.createTime),
    lastDDLTime: unixSeconds(t.lastDDLTime),
    lastModifiedTime: unixSeconds(t.lastModifiedTime),
    lastAccessTime: unixSeconds(t.lastModifiedTime),
    lifecycle: t.lifecycle,
    size: stats.size,
    recordNum: stats.recordNum,
    isVirtualView: isView,
    isMaterializedView: t.type === 'MATERIALIZED_VIEW',
    isMaterializedViewRewriteEnabled: 'false',
    isMaterializedViewOutdated: 'false',
    isExternal: t.type === 'EXTERNAL_TABLE',
    isObjectTable: false,
    tableLabel: '0',
    extendedLabel: [],
    shardExist: false,
  };
  if (isView && t.viewText !== undefined) {
    doc['viewText'] = t.viewText;
    doc['viewExpandedText'] = t.viewText;
  }
  return JSON.stringify(doc);
}

/** `<Table>` of `GET …/tables/<t>` (plain meta; the extended info comes with `?extended` only). */
export function tableElement(t: TableInfo, stats: TableStats): Raw {
  return el('Table', [
    el('Name', t.name),
    el('TableId', tableId(t)),
    el('Comment', t.comment),
    el('Owner', t.owner),
    el('Project', t.project),
    el('SchemaName', t.schema),
    el('TableLabel', '0'),
    el('CreationTime', formatHttpDate(t.createTime)),
    el('LastModifiedTime', formatHttpDate(t.lastModifiedTime)),
    el('LastAccessTime', formatHttpDate(t.lastModifiedTime)),
    el('Type', t.type),
    cdataEl('Schema', tableSchemaJson(t, stats), { format: 'Json' }),
  ]);
}

/**
 * One `Table` of a list page: Name and Owner (all Go reads from a list), plus Type and Comment with
 * `extended` (Java: "Extended fields are type and comment"). The SDKs load everything else lazily.
 */
export function tableListElement(t: TableInfo, extended: boolean): Raw {
  return el('Table', [el('Name', t.name), el('Owner', t.owner), extended ? el('Type', t.type) : null, extended ? el('Comment', t.comment) : null]);
}

/** One data file per non-empty table or partition (the engine keeps no files). */
function fileCount(recordNum: number): number {
  return recordNum > 0 ? 1 : 0;
}

/**
 * `GET …/tables/<t>?extended`: the extended info only (rest.md §3.2: IsArchived, PhysicalSize,
 * FileNum, Reserved); the SDKs merge it over the plain answer, so it carries no columns.
 */
export function tableExtendedElement(t: TableInfo, stats: TableStats, fileNum: number): Raw {
  const doc: Record<string, unknown> = {
    IsArchived: false,
    PhysicalSize: stats.size,
    FileNum: fileNum,
    // Reserved is a JSON document inside a string (rest.md §3.2), only in the extended answer.
    Reserved: JSON.stringify(reservedJson(t)),
  };
  if (t.type === 'EXTERNAL_TABLE') doc['storageHandler'] = '';
  return el('Table', [el('Name', t.name), el('Project', t.project), el('SchemaName', t.schema), cdataEl('Schema', JSON.stringify(doc), { format: 'Json' })]);
}

/** Files of a table: one per non-empty partition (or one for a non-empty unpartitioned table). */
export function tableFileNum(t: TableInfo, stats: TableStats, parts: readonly PartitionInfo[]): number {
  return t.partitionKeys.length > 0 ? parts.filter((p) => p.recordCount > 0).length : fileCount(stats.recordNum);
}

function partitionColumns(p: PartitionInfo): Raw[] {
  return Object.entries(p.spec).map(([name, value]) => el('Column', undefined, { Name: name, Value: value }));
}

/** One entry of a `?partitions` listing. */
export function partitionListElement(p: PartitionInfo): Raw {
  return el('Partition', [
    ...partitionColumns(p),
    el('CreationTime', unixSeconds(p.createTime)),
    el('LastDDLTime', unixSeconds(p.createTime)),
    el('LastModifiedTime', unixSeconds(p.lastModifiedTime)),
    el('PartitionSize', p.size),
    el('PartitionRecordCount', p.recordCount),
  ]);
}

/** `GET ...?partition=<spec>`: Column elements plus a Schema JSON (extended keys only with `?extended`). */
export function partitionMetaElement(p: PartitionInfo, extended: boolean): Raw {
  const doc = extended
    ? {
        IsArchived: false,
        IsExstore: false,
        LifeCycle: -1,
        PhysicalSize: p.size,
        FileNum: fileCount(p.recordCount),
        Reserved: JSON.stringify({}),
      }
    : {
        createTime: unixSeconds(p.createTime),
        lastDDLTime: unixSeconds(p.createTime),
        lastModifiedTime: unixSeconds(p.lastModifiedTime),
        lastAccessTime: unixSeconds(p.lastModifiedTime),
        partitionSize: p.size,
        partitionRecordNum: p.recordCount,
      };
  return el('Partition', [...partitionColumns(p), cdataEl('Schema', JSON.stringify(doc), { format: 'Json' })]);
}
