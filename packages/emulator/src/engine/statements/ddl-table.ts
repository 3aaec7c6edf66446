// CREATE TABLE / CTAS / LIKE, CREATE VIEW, DROP TABLE|VIEW, and ALTER TABLE (partitions, lifecycle, comment, columns, rename).
import { formatType, parseType } from '@odps-ts/odps-client';
import type { Column } from '@odps-ts/odps-client';
import type { TableEntry } from '../catalog.js';
import { physicalTable, quoteIdent, specSql, specText } from '../physical-names.js';
import type { Session } from '../session.js';
import { alreadyExists, partitionNotFound, semanticError, tableNotFound } from '../sql-error.js';
import type { SourcePos } from '../sql-error.js';
import { duckTypeSql } from '../type-mapping.js';
import type { SqlResult, TableInfo } from '../types.js';
import type { Cursor } from '../sql/cursor.js';
import { isOp, isWord } from '../sql/tokenizer.js';
import { alterAddColumns, alterChangeColumn, alterDropColumns, alterTouch } from './alter-columns.js';
import { fullSpec, parseSpecItems, specMatches, specWhere } from './partition-spec.js';
import { applyProperties, parseClusterClause, parseNameList, parseProperties, validateTableOptions } from './table-options.js';

export const EMPTY_RESULT: SqlResult = { columns: [], rows: [], isSelect: false };

function odpsType(text: string, pos: SourcePos): string {
  try {
    return formatType(parseType(text));
  } catch {
    throw semanticError(pos, `invalid type '${text}'`);
  }
}

/** Raw text of a column type: tokens up to a top-level ',' ')' or column option keyword. */
function readTypeText(cur: Cursor): { text: string; pos: SourcePos } {
  const start = cur.pos;
  const first = cur.peek();
  let depth = 0;
  for (;;) {
    const t = cur.peek();
    if (!t) break;
    if (depth === 0 && (isOp(t, ',') || isOp(t, ')') || isWord(t, 'COMMENT', 'NOT', 'NULL', 'DEFAULT', 'PRIMARY'))) break;
    if (t.kind === 'op' && (t.text === '<' || t.text === '(')) depth++;
    if (t.kind === 'op' && (t.text === '>' || t.text === ')')) depth--;
    cur.next();
  }
  const text = cur
    .slice(start, cur.pos)
    .map((t) => t.text)
    .join('');
  if (text.trim() === '') throw cur.unexpected('expecting a column type');
  return { text, pos: cur.posOf(first) };
}

/** One column definition "name type [NOT NULL|NULL] [DEFAULT x] [COMMENT 'c']"; a column-level PRIMARY KEY goes to primaryKey. */
export function parseColumn(cur: Cursor, primaryKey?: string[]): Column {
  const { name } = cur.expectIdent('column name');
  const { text, pos } = readTypeText(cur);
  const col: Column = { name: name.toLowerCase(), type: odpsType(text, pos) };
  for (;;) {
    if (cur.acceptWords('NOT', 'NULL')) col.nullable = false;
    else if (cur.acceptWord('NULL')) col.nullable = true;
    else if (cur.acceptWord('DEFAULT')) cur.next();
    else if (cur.acceptWord('COMMENT')) col.comment = cur.expectString('column comment');
    else if (isWord(cur.peek(), 'PRIMARY') && isWord(cur.peek(1), 'KEY')) {
      addPrimaryKey(cur, primaryKey, () => [col.name]);
    } else break;
  }
  return col;
}

/** Record a PRIMARY KEY clause (at the cursor) into `primaryKey`; only CREATE TABLE's column list passes one. */
function addPrimaryKey(cur: Cursor, primaryKey: string[] | undefined, names: () => string[]): void {
  const at = cur.posOf(cur.peek());
  if (!primaryKey) throw semanticError(at, 'PRIMARY KEY is only allowed in the column list of CREATE TABLE');
  if (primaryKey.length > 0) throw semanticError(at, 'more than one PRIMARY KEY clause');
  cur.acceptWords('PRIMARY', 'KEY');
  primaryKey.push(...names());
}

/**
 * "( column, ..., [PRIMARY KEY (a, b)] )". Primary key columns, column-level or table-level, go to
 * `primaryKey` when given (CREATE TABLE only).
 */
export function parseColumnList(cur: Cursor, primaryKey?: string[]): Column[] {
  cur.expectOp('(');
  const cols: Column[] = [];
  do {
    if (isWord(cur.peek(), 'PRIMARY') && isWord(cur.peek(1), 'KEY')) {
      addPrimaryKey(cur, primaryKey, () => parseNameList(cur, 'primary key column'));
      continue;
    }
    const token = cur.peek();
    const col = parseColumn(cur, primaryKey);
    if (cols.some((c) => c.name === col.name)) throw semanticError(cur.posOf(token), `duplicate column name ${col.name}`);
    cols.push(col);
  } while (cur.acceptOp(','));
  cur.expectOp(')');
  return cols;
}

export function physicalDdl(info: TableInfo): string {
  const cols = [
    ...info.columns.map((c) => `${quoteIdent(c.name)} ${duckTypeSql(parseType(c.type))}`),
    ...info.partitionKeys.map((k) => `${quoteIdent(k.name)} VARCHAR`),
  ];
  return `CREATE TABLE ${physicalTable(info.project, info.schema, info.name)} (${cols.join(', ')})`;
}

export async function register(s: Session, info: TableInfo): Promise<TableEntry> {
  const entry: TableEntry = { info, partitions: new Map(), recordCount: 0 };
  s.core.catalog.set(entry);
  await s.core.meta.saveTable(info);
  return entry;
}

export function newInfo(s: Session, q: { project: string; schema: string; name: string }, type: TableInfo['type']): TableInfo {
  const now = new Date();
  return {
    project: q.project, schema: q.schema, name: q.name, owner: s.owner, comment: '', type,
    columns: [], partitionKeys: [], lifecycle: -1, createTime: now, lastDDLTime: now, lastModifiedTime: now,
  };
}

const PARTITION_KEY_TYPES = new Set(['string', 'bigint', 'int', 'smallint', 'tinyint']);

/** CREATE [EXTERNAL] TABLE ... (after CREATE). */
export async function createTable(s: Session, cur: Cursor, stmtPos: SourcePos): Promise<SqlResult> {
  cur.acceptWord('EXTERNAL');
  cur.expectWord('TABLE');
  const ifNotExists = cur.acceptWords('IF', 'NOT', 'EXISTS');
  const { parts, token } = cur.expectName('table name');
  const q = s.lookup(parts, token);
  if (q.entry) {
    if (ifNotExists) return EMPTY_RESULT;
    throw alreadyExists(token, `table ${q.project}.${q.name}`);
  }
  await s.ensureSchema(q.project, q.schema);
  const info = newInfo(s, q, 'MANAGED_TABLE');

  if (cur.acceptWord('LIKE')) {
    const src = cur.expectName('table name');
    const srcEntry = s.require(src.parts, src.token);
    info.columns = srcEntry.info.columns.map((c) => ({ ...c }));
    info.partitionKeys = srcEntry.info.partitionKeys.map((c) => ({ ...c }));
    if (cur.acceptWord('LIFECYCLE')) info.lifecycle = cur.expectInteger('lifecycle days');
    cur.expectEnd();
    await s.exec(physicalDdl(info), stmtPos);
    await register(s, info);
    return EMPTY_RESULT;
  }

  let hasColumns = false;
  const primaryKey: string[] = [];
  if (isOp(cur.peek(), '(')) {
    info.columns = parseColumnList(cur, primaryKey);
    hasColumns = true;
  }
  if (primaryKey.length > 0) info.primaryKey = primaryKey;
  for (;;) {
    if (cur.acceptWord('COMMENT')) info.comment = cur.expectString('table comment');
    else if (cur.acceptWords('PARTITIONED', 'BY')) {
      info.partitionKeys = parseColumnList(cur);
      for (const k of info.partitionKeys) {
        if (!PARTITION_KEY_TYPES.has(k.type) && !/^(varchar|char)\(/.test(k.type)) {
          throw semanticError(stmtPos, `partition column ${k.name} cannot be of type ${k.type}`);
        }
        if (info.columns.some((c) => c.name === k.name)) {
          throw semanticError(stmtPos, `partition column ${k.name} duplicates a data column`);
        }
      }
    } else if (cur.acceptWord('LIFECYCLE')) info.lifecycle = cur.expectInteger('lifecycle days');
    else if (cur.acceptWords('CLUSTERED', 'BY')) info.clusterInfo = parseClusterClause(cur, 'hash');
    else if (cur.acceptWords('RANGE', 'CLUSTERED', 'BY')) info.clusterInfo = parseClusterClause(cur, 'range');
    else if (cur.acceptWords('STORED', 'AS')) cur.next();
    else if (cur.acceptWord('TBLPROPERTIES')) applyProperties(info, parseProperties(cur), stmtPos);
    else break;
  }
  if (cur.acceptWord('AS')) {
    if (hasColumns) throw semanticError(stmtPos, 'CREATE TABLE ... AS SELECT cannot declare columns');
    const query = s.translate(cur.rest());
    const probe = await s.select(query, stmtPos, 0);
    info.columns = probe.columns.map((c) => ({ name: c.name.toLowerCase(), type: c.type === 'void' ? 'string' : c.type }));
    validateTableOptions(info, stmtPos);
    await s.exec(physicalDdl(info), stmtPos);
    const entry = await register(s, info);
    const dataCols = info.columns.map((c) => quoteIdent(c.name)).join(', ');
    await s.exec(
      `INSERT INTO ${physicalTable(info.project, info.schema, info.name)} (${dataCols}) SELECT * FROM (${query})`,
      stmtPos,
    );
    await s.refreshStats(entry, 'all', stmtPos);
    return EMPTY_RESULT;
  }
  cur.expectEnd();
  if (!hasColumns) throw semanticError(stmtPos, 'CREATE TABLE needs a column list, LIKE or AS SELECT');
  validateTableOptions(info, stmtPos);
  await s.exec(physicalDdl(info), stmtPos);
  await register(s, info);
  return EMPTY_RESULT;
}

/** CREATE [OR REPLACE] VIEW [IF NOT EXISTS] name [(cols)] [COMMENT 'x'] AS select (after CREATE [OR REPLACE]). */
export async function createView(s: Session, cur: Cursor, orReplace: boolean, stmtPos: SourcePos): Promise<SqlResult> {
  cur.expectWord('VIEW');
  const ifNotExists = cur.acceptWords('IF', 'NOT', 'EXISTS');
  const { parts, token } = cur.expectName('view name');
  const q = s.lookup(parts, token);
  if (q.entry && q.entry.info.type !== 'VIRTUAL_VIEW') throw alreadyExists(token, `table ${q.project}.${q.name}`);
  if (q.entry && !orReplace) {
    if (ifNotExists) return EMPTY_RESULT;
    throw alreadyExists(token, `view ${q.project}.${q.name}`);
  }
  let aliases: { name: string; comment?: string }[] | undefined;
  if (cur.acceptOp('(')) {
    aliases = [];
    do {
      const name = cur.expectIdent('column name').name.toLowerCase();
      const a: { name: string; comment?: string } = { name };
      if (cur.acceptWord('COMMENT')) a.comment = cur.expectString('column comment');
      aliases.push(a);
    } while (cur.acceptOp(','));
    cur.expectOp(')');
  }
  let comment = '';
  if (cur.acceptWord('COMMENT')) comment = cur.expectString('view comment');
  cur.expectWord('AS');
  const rest = cur.rest();
  const viewText = rest.map((t) => t.text).join('');
  await s.ensureSchema(q.project, q.schema);
  const query = s.translate(rest);
  const phys = physicalTable(q.project, q.schema, q.name);
  const aliasSql = aliases ? ` (${aliases.map((a) => quoteIdent(a.name)).join(', ')})` : '';
  await s.exec(`CREATE OR REPLACE VIEW ${phys}${aliasSql} AS ${query}`, stmtPos);
  const probe = await s.select(`SELECT * FROM ${phys}`, stmtPos, 0);
  const info = newInfo(s, q, 'VIRTUAL_VIEW');
  if (q.entry) info.createTime = q.entry.info.createTime;
  info.comment = comment;
  info.viewText = viewText.trim();
  info.columns = probe.columns.map((c, i) => {
    const col: Column = { name: c.name.toLowerCase(), type: c.type };
    const cm = aliases?.[i]?.comment;
    if (cm !== undefined) col.comment = cm;
    return col;
  });
  await register(s, info);
  return EMPTY_RESULT;
}

/** DROP TABLE|VIEW|MATERIALIZED VIEW [IF EXISTS] name (after DROP). */
export async function dropTable(s: Session, cur: Cursor, stmtPos: SourcePos): Promise<SqlResult> {
  const kind = cur.acceptWords('MATERIALIZED', 'VIEW') ? 'MATERIALIZED VIEW' : cur.expectWord('TABLE', 'VIEW').value.toUpperCase();
  const ifExists = cur.acceptWords('IF', 'EXISTS');
  const { parts, token } = cur.expectName('table name');
  cur.expectEnd();
  const q = s.lookup(parts, token);
  if (!q.entry) {
    if (ifExists) return EMPTY_RESULT;
    throw tableNotFound(token, q.project, q.name);
  }
  const type = q.entry.info.type;
  const isView = type === 'VIRTUAL_VIEW';
  const wanted = type === 'VIRTUAL_VIEW' ? 'VIEW' : type === 'MATERIALIZED_VIEW' ? 'MATERIALIZED VIEW' : 'TABLE';
  if (kind !== wanted) {
    const what = wanted === 'TABLE' ? 'a table' : wanted === 'VIEW' ? 'a view' : 'a materialized view';
    throw semanticError(token, `${q.name} is ${what}, use DROP ${wanted}`);
  }
  await s.exec(`DROP ${isView ? 'VIEW' : 'TABLE'} ${physicalTable(q.project, q.schema, q.name)}`, stmtPos);
  s.core.catalog.delete(q.project, q.schema, q.name);
  await s.core.meta.dropTable(q.project, q.schema, q.name);
  return EMPTY_RESULT;
}

/** ALTER TABLE name ... (after ALTER). */
export async function alterTable(s: Session, cur: Cursor, stmtPos: SourcePos): Promise<SqlResult> {
  cur.expectWord('TABLE', 'VIEW');
  const { parts, token } = cur.expectName('table name');
  const entry = s.require(parts, token);
  const info = entry.info;
  const now = new Date();
  const columnChange = async (change: () => Promise<void>): Promise<SqlResult> => {
    if (info.type !== 'MANAGED_TABLE') throw semanticError(token, `${info.name} is not a table: its columns cannot be altered`);
    await change();
    info.lastDDLTime = now;
    await s.core.meta.saveTable(info);
    return EMPTY_RESULT;
  };
  const parsers = { parseColumnList: (c: Cursor) => parseColumnList(c), parseColumn: (c: Cursor) => parseColumn(c), physicalDdl };
  if (isWord(cur.peek(), 'TOUCH', 'PARTITION')) {
    const partTok = cur.acceptWord('PARTITION');
    if (partTok) requirePartitioned(entry, token);
    await alterTouch(s, cur, entry, partTok);
    return EMPTY_RESULT;
  }
  if (cur.acceptWord('CHANGE')) return columnChange(() => alterChangeColumn(s, cur, entry, parsers, stmtPos));
  if (isWord(cur.peek(), 'ADD') && isWord(cur.peek(1), 'COLUMNS', 'COLUMN')) {
    cur.next();
    return columnChange(() => alterAddColumns(s, cur, entry, parsers, stmtPos));
  }
  if (isWord(cur.peek(), 'DROP') && isWord(cur.peek(1), 'COLUMNS', 'COLUMN')) {
    cur.next();
    return columnChange(() => alterDropColumns(s, cur, entry, stmtPos));
  }
  if (cur.acceptWord('ADD')) {
    const ifNotExists = cur.acceptWords('IF', 'NOT', 'EXISTS');
    requirePartitioned(entry, token);
    do {
      const t = cur.expectWord('PARTITION');
      const spec = fullSpec(parseSpecItems(cur, entry, false), entry, cur.posOf(t));
      const key = specText(spec);
      if (entry.partitions.has(key)) {
        if (ifNotExists) continue;
        throw alreadyExists(t, `partition ${specSql(spec)} of ${info.name}`);
      }
      const p = { spec, createTime: now, lastModifiedTime: now, recordCount: 0, size: 0 };
      entry.partitions.set(key, p);
      await s.core.meta.savePartition(info, p);
      cur.acceptOp(',');
    } while (isWord(cur.peek(), 'PARTITION'));
    cur.expectEnd();
    return EMPTY_RESULT;
  }
  if (cur.acceptWord('DROP')) {
    const ifExists = cur.acceptWords('IF', 'EXISTS');
    requirePartitioned(entry, token);
    do {
      const t = cur.expectWord('PARTITION');
      const items = parseSpecItems(cur, entry, false);
      const partial: Record<string, string> = {};
      for (const i of items) partial[i.key] = i.value!;
      const matching = [...entry.partitions.entries()].filter(([, p]) => specMatches(p.spec, partial));
      if (matching.length === 0 && !ifExists) throw partitionNotFound(t, info.name, specSql(partial));
      await s.exec(`DELETE FROM ${physicalTable(info.project, info.schema, info.name)} WHERE ${specWhere(partial)}`, stmtPos);
      for (const [key, p] of matching) {
        entry.partitions.delete(key);
        await s.core.meta.dropPartition(info, p.spec);
      }
      cur.acceptOp(',');
    } while (isWord(cur.peek(), 'PARTITION'));
    cur.expectEnd();
    await s.refreshStats(entry, [], stmtPos);
    return EMPTY_RESULT;
  }
  if (cur.acceptWord('SET')) {
    if (cur.acceptWord('LIFECYCLE')) info.lifecycle = cur.expectInteger('lifecycle days');
    else if (cur.acceptWord('COMMENT')) info.comment = cur.expectString('table comment');
    else if (cur.acceptWord('TBLPROPERTIES')) applyProperties(info, parseProperties(cur), stmtPos);
    else throw cur.unexpected('expecting LIFECYCLE, COMMENT or TBLPROPERTIES');
    cur.expectEnd();
    info.lastDDLTime = now;
    await s.core.meta.saveTable(info);
    return EMPTY_RESULT;
  }
  if (cur.acceptWords('RENAME', 'TO')) {
    const target = cur.expectName('new table name');
    cur.expectEnd();
    const q = s.lookup(target.parts.length === 1 ? [info.project, info.schema, target.parts[0]!] : target.parts, target.token);
    if (q.entry) throw alreadyExists(target.token, `table ${q.project}.${q.name}`);
    if (q.project !== info.project.toLowerCase() || q.schema !== info.schema.toLowerCase()) {
      throw semanticError(target.token, 'RENAME TO cannot move a table to another project or schema');
    }
    await s.exec(
      `ALTER ${info.type === 'VIRTUAL_VIEW' ? 'VIEW' : 'TABLE'} ${physicalTable(info.project, info.schema, info.name)} RENAME TO ${quoteIdent(q.name)}`,
      stmtPos,
    );
    s.core.catalog.delete(info.project, info.schema, info.name);
    await s.core.meta.dropTable(info.project, info.schema, info.name);
    info.name = q.name;
    info.lastDDLTime = now;
    s.core.catalog.set(entry);
    await s.core.meta.saveTable(info);
    for (const p of entry.partitions.values()) await s.core.meta.savePartition(info, p);
    return EMPTY_RESULT;
  }
  throw cur.unexpected('expecting ADD, DROP, SET, CHANGE, TOUCH or RENAME TO');
}

function requirePartitioned(entry: TableEntry, pos: SourcePos): void {
  if (entry.info.partitionKeys.length === 0) {
    throw semanticError(pos, `table ${entry.info.project}.${entry.info.name} is not partitioned`);
  }
}
