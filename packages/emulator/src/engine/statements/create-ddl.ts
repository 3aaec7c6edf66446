// SHOW CREATE TABLE text: the DDL that recreates a table, view or materialized view, extended info included.
import type { Column } from '@odps-ts/odps-client';
import type { TableInfo } from '../types.js';

const esc = (t: string): string => t.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
const q = (name: string): string => '`' + name.replace(/`/g, '``') + '`';

function col(c: Column): string {
  return `    ${q(c.name)} ${c.type.toUpperCase()}${c.nullable === false ? ' NOT NULL' : ''}${c.comment ? ` COMMENT '${esc(c.comment)}'` : ''}`;
}

function clusterClause(info: TableInfo): string {
  const ci = info.clusterInfo;
  if (!ci) return '';
  let text = `\n${ci.type === 'range' ? 'RANGE ' : ''}CLUSTERED BY (${ci.columns.map(q).join(', ')})`;
  if (ci.sortColumns.length) text += ` SORTED BY (${ci.sortColumns.map((c) => `${q(c.name)} ${c.order}`).join(', ')})`;
  if (ci.bucketNum > 0) text += ` INTO ${ci.bucketNum} BUCKETS`;
  return text;
}

export function createTableDdl(info: TableInfo): string {
  const name = `${info.project}.${q(info.name)}`;
  const comment = info.comment ? `\nCOMMENT '${esc(info.comment)}'` : '';
  if (info.type === 'VIRTUAL_VIEW') return `CREATE VIEW IF NOT EXISTS ${name}${comment}\nAS ${info.viewText ?? ''};\n`;
  if (info.type === 'MATERIALIZED_VIEW') {
    const parts = info.partitionKeys.length ? `\nPARTITIONED ON (${info.partitionKeys.map((k) => q(k.name)).join(', ')})` : '';
    const life = info.lifecycle >= 0 ? `\nLIFECYCLE ${info.lifecycle}` : '';
    return `CREATE MATERIALIZED VIEW IF NOT EXISTS ${name}${life}${comment}${parts}${clusterClause(info)}\nAS ${info.viewText ?? ''};\n`;
  }
  const lines = info.columns.map(col);
  if (info.primaryKey?.length) lines.push(`    PRIMARY KEY (${info.primaryKey.map(q).join(', ')})`);
  let ddl = `CREATE TABLE IF NOT EXISTS ${name} (\n${lines.join(',\n')}\n)${comment}`;
  if (info.partitionKeys.length) ddl += `\nPARTITIONED BY (\n${info.partitionKeys.map(col).join(',\n')}\n)`;
  ddl += clusterClause(info);
  if (info.transactional) ddl += `\nTBLPROPERTIES ('transactional'='true')`;
  if (info.lifecycle >= 0) ddl += `\nLIFECYCLE ${info.lifecycle}`;
  return ddl + ';\n';
}
