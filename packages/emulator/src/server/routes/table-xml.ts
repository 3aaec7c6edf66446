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
    isMaterializedView: false,
    isMaterializedViewRewriteEnabled: 'false',
    isMaterializedViewOutdated: 'false',
    isExternal: t.type === 'EXTERNAL_TABLE',
    isObjectTable: false,
    tableLabel: '0',
    extendedLabel: [],
    shardExist: false,
    // Reserved is a JSON document inside a string (rest.md §3.2).
    Reserved: JSON.stringify({ Transactional: 'false', PrimaryKey: [], schema_version: '0' }),
  };
  if (isView && t.viewText !== undefined) {
    doc['viewText'] = t.viewText;
    doc['viewExpandedText'] = t.viewText;
  }
  return JSON.stringify(doc);
}

/** `<Table>` for table meta (and, without the Schema, for list entries). */
export function tableElement(t: TableInfo, opts: { stats?: TableStats; withTypeAndComment: boolean }): Raw {
  return el('Table', [
    el('Name', t.name),
    el('TableId', tableId(t)),
    opts.withTypeAndComment ? el('Comment', t.comment) : null,
    el('Owner', t.owner),
    el('Project', t.project),
    el('SchemaName', t.schema),
    el('TableLabel', '0'),
    el('CreationTime', formatHttpDate(t.createTime)),
    el('LastModifiedTime', formatHttpDate(t.lastModifiedTime)),
    el('LastAccessTime', formatHttpDate(t.lastModifiedTime)),
    opts.withTypeAndComment ? el('Type', t.type) : null,
    opts.stats ? cdataEl('Schema', tableSchemaJson(t, opts.stats), { format: 'Json' }) : null,
  ]);
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

/** `GET ...?partition=<spec>`: Column elements plus a Schema JSON. */
export function partitionMetaElement(p: PartitionInfo): Raw {
  const doc = {
    createTime: unixSeconds(p.createTime),
    lastDDLTime: unixSeconds(p.createTime),
    lastModifiedTime: unixSeconds(p.lastModifiedTime),
    lastAccessTime: unixSeconds(p.lastModifiedTime),
    partitionSize: p.size,
    partitionRecordNum: p.recordCount,
    IsArchived: false,
    IsExstore: false,
    LifeCycle: -1,
    PhysicalSize: p.size,
    FileNum: p.recordCount > 0 ? 1 : 0,
    Reserved: JSON.stringify({}),
  };
  return el('Partition', [...partitionColumns(p), cdataEl('Schema', JSON.stringify(doc), { format: 'Json' })]);
}
