// ALTER TABLE column changes (ADD COLUMN[S], DROP COLUMNS, CHANGE COLUMN) and TOUCH, after the table name.
import { parseType } from '@odps-ts/odps-client';
import type { Column } from '@odps-ts/odps-client';
import type { TableEntry } from '../catalog.js';
import { physicalTable, quoteIdent, specSql, specText } from '../physical-names.js';
import type { Session } from '../session.js';
import { partitionNotFound, semanticError } from '../sql-error.js';
import type { SourcePos } from '../sql-error.js';
import type { TableInfo } from '../types.js';
import { duckTypeSql } from '../type-mapping.js';
import type { Cursor } from '../sql/cursor.js';
import { isOp } from '../sql/tokenizer.js';
import type { Token } from '../sql/tokenizer.js';
import { fullSpec, parseSpecItems } from './partition-spec.js';

/** Hooks into ddl-table.ts (column list parsing and the physical DDL live there). */
export interface ColumnParsers {
  parseColumnList(cur: Cursor): Column[];
  parseColumn(cur: Cursor): Column;
  physicalDdl(info: TableInfo): string;
}

const INTEGER_RANK: Record<string, number> = { tinyint: 1, smallint: 2, int: 3, bigint: 4 };

/**
 * Type changes the emulator lets CHANGE COLUMN make: same type, integer widening, float to double,
 * char/varchar to string or a longer varchar. Anything else fails like the service's
 * "changing column data type from STRING to BIGINT is not supported" (Java SDK TableUpdateTest).
 */
function typeChangeAllowed(from: string, to: string): boolean {
  if (from === to) return true;
  const a = INTEGER_RANK[from];
  const b = INTEGER_RANK[to];
  if (a !== undefined && b !== undefined) return b >= a;
  if (from === 'float' && to === 'double') return true;
  const fromText = /^(char|varchar)\((\d+)\)$/.exec(from);
  if (fromText && to === 'string') return true;
  const toVarchar = /^varchar\((\d+)\)$/.exec(to);
  return !!fromText && fromText[1] === 'varchar' && !!toVarchar && Number(toVarchar[1]) >= Number(fromText[2]);
}

function usedBy(entry: TableEntry, name: string): string | undefined {
  const info = entry.info;
  if (info.primaryKey?.includes(name)) return 'primary key';
  const ci = info.clusterInfo;
  if (ci && (ci.columns.includes(name) || ci.sortColumns.some((c) => c.name === name))) return 'cluster';
  return undefined;
}

function requireColumn(entry: TableEntry, name: string, token: Token): Column {
  const col = entry.info.columns.find((c) => c.name === name);
  if (!col) {
    const what = entry.info.partitionKeys.some((k) => k.name === name) ? 'is a partition column, not a data column' : 'cannot be resolved';
    throw semanticError(token, `column ${name} ${what} in ${entry.info.name}`);
  }
  return col;
}

/**
 * Partition keys are the last physical columns (SELECT * lists data columns first), and DuckDB adds a
 * column at the end: a partitioned table is rebuilt with the new data columns before its keys.
 */
async function rebuildWithKeysLast(s: Session, info: TableInfo, added: Column[], ddl: (info: TableInfo) => string, pos: SourcePos): Promise<void> {
  const phys = physicalTable(info.project, info.schema, info.name);
  const tmpName = `${info.name}__odps_rebuild`;
  const tmp = physicalTable(info.project, info.schema, tmpName);
  const wider: TableInfo = { ...info, name: tmpName, columns: [...info.columns, ...added] };
  const values = [...info.columns.map((c) => quoteIdent(c.name)), ...added.map(() => 'NULL'), ...info.partitionKeys.map((k) => quoteIdent(k.name))];
  await s.exec(ddl(wider), pos);
  await s.exec(`INSERT INTO ${tmp} SELECT ${values.join(', ')} FROM ${phys}`, pos);
  await s.exec(`DROP TABLE ${phys}`, pos);
  await s.exec(`ALTER TABLE ${tmp} RENAME TO ${quoteIdent(info.name)}`, pos);
}

async function addColumns(s: Session, entry: TableEntry, cols: Column[], ifNotExists: boolean, parsers: ColumnParsers, pos: SourcePos): Promise<void> {
  const info = entry.info;
  const added: Column[] = [];
  for (const c of cols) {
    if ([...info.columns, ...info.partitionKeys, ...added].some((x) => x.name === c.name)) {
      if (ifNotExists) continue;
      throw semanticError(pos, `column ${c.name} already exists in ${info.name}`);
    }
    if (c.nullable === false) throw semanticError(pos, `column ${c.name} added to an existing table must be nullable`);
    added.push(c);
  }
  if (added.length === 0) return;
  if (info.partitionKeys.length > 0) await rebuildWithKeysLast(s, info, added, parsers.physicalDdl, pos);
  else {
    for (const c of added) {
      await s.exec(`ALTER TABLE ${physicalTable(info.project, info.schema, info.name)} ADD COLUMN ${quoteIdent(c.name)} ${duckTypeSql(parseType(c.type))}`, pos);
    }
  }
  info.columns.push(...added);
}

/** After ALTER TABLE t ADD when COLUMN/COLUMNS follows: "COLUMNS [IF NOT EXISTS] (c t, ...)" or "COLUMN c t [COMMENT '']". */
export async function alterAddColumns(s: Session, cur: Cursor, entry: TableEntry, parsers: ColumnParsers, pos: SourcePos): Promise<void> {
  cur.expectWord('COLUMNS', 'COLUMN');
  const ifNotExists = cur.acceptWords('IF', 'NOT', 'EXISTS');
  const cols = isOp(cur.peek(), '(') ? parsers.parseColumnList(cur) : [parsers.parseColumn(cur)];
  cur.expectEnd();
  await addColumns(s, entry, cols, ifNotExists, parsers, pos);
}

/** After ALTER TABLE t DROP when COLUMNS/COLUMN follows: "COLUMNS a, b" (parentheses accepted). */
export async function alterDropColumns(s: Session, cur: Cursor, entry: TableEntry, pos: SourcePos): Promise<void> {
  cur.expectWord('COLUMNS', 'COLUMN');
  const paren = cur.acceptOp('(');
  const names: { name: string; token: Token }[] = [];
  do {
    const c = cur.expectIdent('column name');
    names.push({ name: c.name.toLowerCase(), token: c.token });
  } while (cur.acceptOp(','));
  if (paren) cur.expectOp(')');
  cur.expectEnd();
  const info = entry.info;
  for (const { name, token } of names) {
    requireColumn(entry, name, token);
    const use = usedBy(entry, name);
    if (use) throw semanticError(token, `cannot drop ${use} column ${name} of ${info.name}`);
  }
  if (new Set(names.map((n) => n.name)).size === info.columns.length) {
    throw semanticError(pos, `cannot drop all data columns of ${info.name}`);
  }
  for (const { name } of names) {
    if (!info.columns.some((c) => c.name === name)) continue;
    await s.exec(`ALTER TABLE ${physicalTable(info.project, info.schema, info.name)} DROP COLUMN ${quoteIdent(name)}`, pos);
    info.columns = info.columns.filter((c) => c.name !== name);
  }
}

function renameEverywhere(entry: TableEntry, from: string, to: string): void {
  const info = entry.info;
  if (info.primaryKey) info.primaryKey = info.primaryKey.map((k) => (k === from ? to : k));
  const ci = info.clusterInfo;
  if (ci) {
    ci.columns = ci.columns.map((c) => (c === from ? to : c));
    for (const sc of ci.sortColumns) if (sc.name === from) sc.name = to;
  }
}

/**
 * After ALTER TABLE t CHANGE: "[COLUMN] old RENAME TO new", "[COLUMN] c COMMENT 'x'" or
 * "[COLUMN] old new type [COMMENT 'x']".
 */
export async function alterChangeColumn(s: Session, cur: Cursor, entry: TableEntry, parsers: ColumnParsers, pos: SourcePos): Promise<void> {
  cur.acceptWord('COLUMN');
  const old = cur.expectIdent('column name');
  const oldName = old.name.toLowerCase();
  const col = requireColumn(entry, oldName, old.token);
  const info = entry.info;
  const phys = physicalTable(info.project, info.schema, info.name);
  let newName = oldName;
  if (cur.acceptWords('RENAME', 'TO')) {
    newName = cur.expectIdent('new column name').name.toLowerCase();
    cur.expectEnd();
  } else if (cur.acceptWord('COMMENT')) {
    col.comment = cur.expectString('column comment');
    cur.expectEnd();
    return;
  } else {
    const next = parsers.parseColumn(cur);
    cur.expectEnd();
    newName = next.name;
    if (!typeChangeAllowed(col.type, next.type)) {
      throw semanticError(old.token, `changing column data type from ${col.type.toUpperCase()} to ${next.type.toUpperCase()} is not supported`);
    }
    if (next.type !== col.type) {
      if (usedBy(entry, oldName)) throw semanticError(old.token, `cannot change the type of ${usedBy(entry, oldName)} column ${oldName}`);
      await s.exec(`ALTER TABLE ${phys} ALTER COLUMN ${quoteIdent(oldName)} TYPE ${duckTypeSql(parseType(next.type))}`, pos);
      col.type = next.type;
    }
    if (next.comment !== undefined) col.comment = next.comment;
  }
  if (newName === oldName) return;
  if ([...info.columns, ...info.partitionKeys].some((c) => c.name === newName)) {
    throw semanticError(old.token, `column ${newName} already exists in ${info.name}`);
  }
  await s.exec(`ALTER TABLE ${phys} RENAME COLUMN ${quoteIdent(oldName)} TO ${quoteIdent(newName)}`, pos);
  col.name = newName;
  renameEverywhere(entry, oldName, newName);
}

/**
 * ALTER TABLE t [PARTITION (...)] TOUCH, or the documented ALTER TABLE t TOUCH PARTITION (...) that
 * PyODPS `Table.touch` sends: stamps the modification time without changing data.
 */
export async function alterTouch(s: Session, cur: Cursor, entry: TableEntry, partitionTok: Token | undefined): Promise<void> {
  const info = entry.info;
  const now = new Date();
  let partTok = partitionTok;
  let spec: Record<string, string> | undefined;
  if (partTok) {
    spec = fullSpec(parseSpecItems(cur, entry, false), entry, cur.posOf(partTok));
    cur.expectWord('TOUCH');
  } else {
    cur.expectWord('TOUCH');
    partTok = cur.acceptWord('PARTITION');
    if (partTok) {
      if (info.partitionKeys.length === 0) throw semanticError(partTok, `${info.name} is not a partitioned table`);
      spec = fullSpec(parseSpecItems(cur, entry, false), entry, cur.posOf(partTok));
    }
  }
  cur.expectEnd();
  if (partTok && spec) {
    const p = entry.partitions.get(specText(spec));
    if (!p) throw partitionNotFound(partTok, `${info.project}.${info.name}`, specSql(spec));
    p.lastModifiedTime = now;
    await s.core.meta.savePartition(info, p);
  }
  info.lastModifiedTime = now;
  await s.core.meta.saveTable(info);
}
