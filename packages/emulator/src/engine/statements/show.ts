// DESC/DESCRIBE, SHOW TABLES, SHOW PARTITIONS, SHOW CREATE TABLE: result sets plus console-style text.
import { listSchemas } from '../schemas.js';
import type { TableEntry } from '../catalog.js';
import { specText } from '../physical-names.js';
import type { Session } from '../session.js';
import { semanticError } from '../sql-error.js';
import type { SqlResult } from '../types.js';
import type { Cursor } from '../sql/cursor.js';
import { isWord } from '../sql/tokenizer.js';
import { createTableDdl } from './create-ddl.js';
import { parseSpecItems, specMatches } from './partition-spec.js';

function stringColumns(...names: string[]): SqlResult['columns'] {
  return names.map((name) => ({ name, type: 'string' }));
}

function fmtTime(d: Date): string {
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

function boxed(lines: string[][]): string {
  const width = 84;
  const rule = '+' + '-'.repeat(width) + '+';
  const out: string[] = [rule];
  for (const block of lines) {
    for (const l of block) out.push('| ' + l.padEnd(width - 2).slice(0, Math.max(width - 2, l.length)) + ' |');
    out.push(rule);
  }
  return out.join('\n') + '\n';
}

function columnLine(name: string, type: string, comment: string): string {
  return `${name.padEnd(16)}| ${type.padEnd(11)}|       | ${comment}`;
}

/** DESC [EXTENDED] t [PARTITION (...)] (after DESC/DESCRIBE). */
export function describe(s: Session, cur: Cursor): SqlResult {
  cur.acceptWord('EXTENDED');
  const { parts, token } = cur.expectName('table name');
  const entry = s.require(parts, token);
  const info = entry.info;
  if (cur.acceptWord('PARTITION')) {
    const items = parseSpecItems(cur, entry, false);
    const spec: Record<string, string> = {};
    for (const i of items) spec[i.key] = i.value!;
    cur.expectEnd();
    const p = [...entry.partitions.values()].find((x) => specMatches(x.spec, spec) && Object.keys(spec).length === info.partitionKeys.length);
    if (!p) throw semanticError(token, `partition ${specText(spec)} of ${info.name} does not exist`);
    const rows = [
      ['PartitionSize', String(p.size)],
      ['RecordNum', String(p.recordCount)],
      ['CreateTime', fmtTime(p.createTime)],
      ['LastModifiedTime', fmtTime(p.lastModifiedTime)],
    ];
    return { columns: stringColumns('name', 'value'), rows, isSelect: false, text: boxed([rows.map(([k, v]) => `${k}: ${v}`)]) };
  }
  cur.expectEnd();
  const rows: unknown[][] = [
    ...info.columns.map((c) => [c.name, c.type, c.comment ?? '', 'false']),
    ...info.partitionKeys.map((c) => [c.name, c.type, c.comment ?? '', 'true']),
  ];
  const header = [
    `Owner:                    ${info.owner}`,
    `Project:                  ${info.project}`,
    ...(info.schema !== 'default' ? [`Schema:                   ${info.schema}`] : []),
    `TableComment:             ${info.comment}`,
  ];
  const times = [
    `CreateTime:               ${fmtTime(info.createTime)}`,
    `LastDDLTime:              ${fmtTime(info.lastDDLTime)}`,
    `LastModifiedTime:         ${fmtTime(info.lastModifiedTime)}`,
    ...(info.lifecycle >= 0 ? [`Lifecycle:                ${info.lifecycle}`] : []),
  ];
  const kind = info.type === 'VIRTUAL_VIEW' ? [`VirtualView  : YES`, `ViewText: ${info.viewText ?? ''}`] : [`InternalTable: YES      | Size: ${tableSize(entry)}`];
  if (info.type === 'MATERIALIZED_VIEW') kind.push(`MaterializedView: YES`, `ViewText: ${info.viewText ?? ''}`);
  if (info.transactional) kind.push(`Transactional: true${info.primaryKey?.length ? `      | PrimaryKey: ${info.primaryKey.join(', ')}` : ''}`);
  const blocks = [header, times, kind, ['Native Columns:'], [columnLine('Field', 'Type', 'Comment')], info.columns.map((c) => columnLine(c.name, c.type, c.comment ?? ''))];
  if (info.partitionKeys.length > 0) {
    blocks.push(['Partition Columns:'], info.partitionKeys.map((c) => `${c.name.padEnd(16)}| ${c.type.padEnd(11)}| ${c.comment ?? ''}`));
  }
  return { columns: stringColumns('col_name', 'data_type', 'comment', 'is_partition_key'), rows, isSelect: false, text: boxed(blocks) };
}

function tableSize(entry: TableEntry): number {
  if (entry.info.partitionKeys.length === 0) return entry.recordCount * Math.max(1, entry.info.columns.length) * 8;
  return [...entry.partitions.values()].reduce((a, p) => a + p.size, 0);
}

/** SHOW TABLES [IN|FROM project[.schema]] [LIKE 'pat'] | SHOW PARTITIONS t [PARTITION (...)] | SHOW CREATE TABLE t (after SHOW). */
export function show(s: Session, cur: Cursor): SqlResult {
  if (cur.acceptWord('TABLES')) {
    let project = s.project;
    let schema = s.schema;
    if (cur.acceptWord('IN', 'FROM')) {
      const n = cur.expectName('project name');
      project = n.parts[0]!.toLowerCase();
      schema = (n.parts[1] ?? 'default').toLowerCase();
    }
    let pattern: RegExp | undefined;
    if (cur.acceptWord('LIKE')) {
      const p = cur.expectString('pattern');
      pattern = new RegExp('^' + p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/%/g, '.*').replace(/_/g, '.') + '$', 'i');
    }
    cur.expectEnd();
    const entries = s.core.catalog
      .list(project, schema)
      .filter((e) => !pattern || pattern.test(e.info.name))
      .sort((a, b) => (a.info.name < b.info.name ? -1 : a.info.name > b.info.name ? 1 : 0));
    const rows = entries.map((e) => [e.info.owner, e.info.name]);
    return {
      columns: stringColumns('owner', 'table_name'),
      rows,
      isSelect: false,
      text: rows.map(([o, n]) => `${o}:${n}`).join('\n') + (rows.length ? '\n' : '') + `\n${rows.length} tables\n`,
    };
  }
  if (cur.acceptWord('PARTITIONS')) {
    const { parts, token } = cur.expectName('table name');
    const entry = s.require(parts, token);
    if (entry.info.partitionKeys.length === 0) throw semanticError(token, `table ${entry.info.name} is not partitioned`);
    let filter: Record<string, string> = {};
    if (cur.acceptWord('PARTITION')) {
      filter = {};
      for (const i of parseSpecItems(cur, entry, false)) filter[i.key] = i.value!;
    }
    cur.expectEnd();
    const rows = [...entry.partitions.values()]
      .filter((p) => specMatches(p.spec, filter))
      .map((p) => specText(p.spec))
      .sort()
      .map((t) => [t]);
    return { columns: stringColumns('partition'), rows, isSelect: false, text: rows.map((r) => r[0]).join('\n') + (rows.length ? '\n' : '') };
  }
  if (cur.acceptWords('CREATE', 'TABLE')) {
    const { parts, token } = cur.expectName('table name');
    cur.expectEnd();
    const ddl = createTableDdl(s.require(parts, token).info);
    return { columns: stringColumns('create_table'), rows: [[ddl]], isSelect: false, text: ddl };
  }
  if (isWord(cur.peek(), 'SCHEMAS')) {
    cur.next();
    // SHOW SCHEMAS [IN p]: PyODPS's SQL fallback reads one name per line.
    const project = cur.acceptWord('IN', 'FROM') ? cur.expectIdent('project name').name : s.project;
    cur.expectEnd();
    const names = listSchemas(s.core.catalog, project, s.owner).map((x) => x.name);
    return { columns: stringColumns('schema_name'), rows: names.map((n) => [n]), isSelect: false, text: names.join('\n') + '\n' };
  }
  throw cur.unexpected('expecting TABLES, PARTITIONS, CREATE TABLE or SCHEMAS');
}
