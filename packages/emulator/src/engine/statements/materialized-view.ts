// CREATE MATERIALIZED VIEW (a table filled from its query, type MATERIALIZED_VIEW) and ALTER MATERIALIZED VIEW ... REBUILD.
import type { Column } from '@odps-ts/odps-client';
import type { TableEntry } from '../catalog.js';
import { physicalTable, quoteIdent } from '../physical-names.js';
import type { Session } from '../session.js';
import { alreadyExists, semanticError } from '../sql-error.js';
import type { SourcePos } from '../sql-error.js';
import type { SqlResult } from '../types.js';
import type { Cursor } from '../sql/cursor.js';
import { tokenize } from '../sql/tokenizer.js';
import { EMPTY_RESULT, newInfo, physicalDdl, register } from './ddl-table.js';
import { applyProperties, parseClusterClause, parseNameList, parseProperties, validateTableOptions } from './table-options.js';

const PARTITION_KEY_TYPES = new Set(['string', 'bigint', 'int', 'smallint', 'tinyint']);

/** Replace the rows of a materialized view with its query's current result. */
async function fill(s: Session, entry: TableEntry, pos: SourcePos): Promise<void> {
  const info = entry.info;
  const query = s.translate(tokenize(info.viewText ?? ''));
  const phys = physicalTable(info.project, info.schema, info.name);
  const names = [...info.columns, ...info.partitionKeys].map((c) => quoteIdent(c.name));
  const values = [
    ...info.columns.map((c) => `__q.${quoteIdent(c.name)}`),
    ...info.partitionKeys.map((k) => `CAST(__q.${quoteIdent(k.name)} AS VARCHAR)`),
  ];
  await s.exec(`DELETE FROM ${phys}`, pos);
  await s.exec(`INSERT INTO ${phys} (${names.join(', ')}) SELECT ${values.join(', ')} FROM (${query}) AS __q(${names.join(', ')})`, pos);
  await s.refreshStats(entry, 'all', pos);
}

/** CREATE MATERIALIZED VIEW [IF NOT EXISTS] name [options] AS select (after CREATE). */
export async function createMaterializedView(s: Session, cur: Cursor, pos: SourcePos): Promise<SqlResult> {
  cur.expectWord('MATERIALIZED');
  cur.expectWord('VIEW');
  const ifNotExists = cur.acceptWords('IF', 'NOT', 'EXISTS');
  const { parts, token } = cur.expectName('materialized view name');
  const q = s.lookup(parts, token);
  if (q.entry) {
    if (ifNotExists && q.entry.info.type === 'MATERIALIZED_VIEW') return EMPTY_RESULT;
    throw alreadyExists(token, `table ${q.project}.${q.name}`);
  }
  const info = newInfo(s, q, 'MATERIALIZED_VIEW');
  let aliases: { name: string; comment?: string }[] | undefined;
  let partitionedOn: string[] = [];
  let deferred = false;
  for (;;) {
    if (cur.acceptWord('LIFECYCLE')) info.lifecycle = cur.expectInteger('lifecycle days');
    else if (cur.acceptWords('BUILD', 'DEFERRED')) deferred = true;
    else if (cur.acceptWords('DISABLE', 'REWRITE')) continue;
    else if (cur.acceptWord('COMMENT')) info.comment = cur.expectString('comment');
    else if (cur.acceptWords('PARTITIONED', 'ON') || cur.acceptWords('PARTITIONED', 'BY')) partitionedOn = parseNameList(cur, 'partition column');
    else if (cur.acceptWords('CLUSTERED', 'BY')) info.clusterInfo = parseClusterClause(cur, 'hash');
    else if (cur.acceptWords('RANGE', 'CLUSTERED', 'BY')) info.clusterInfo = parseClusterClause(cur, 'range');
    else if (cur.acceptWord('TBLPROPERTIES')) applyProperties(info, parseProperties(cur), pos);
    else if (!aliases && cur.acceptOp('(')) {
      aliases = [];
      do {
        const a: { name: string; comment?: string } = { name: cur.expectIdent('column name').name.toLowerCase() };
        if (cur.acceptWord('COMMENT')) a.comment = cur.expectString('column comment');
        aliases.push(a);
      } while (cur.acceptOp(','));
      cur.expectOp(')');
    } else break;
  }
  cur.expectWord('AS');
  const rest = cur.rest();
  if (rest.every((t) => t.kind === 'ws')) throw cur.unexpected('expecting a query');
  info.viewText = rest.map((t) => t.text).join('').trim();
  const probe = await s.select(s.translate(rest), pos, 0);
  if (aliases && aliases.length !== probe.columns.length) {
    throw semanticError(pos, `materialized view ${q.name} names ${aliases.length} columns, its query returns ${probe.columns.length}`);
  }
  const all: Column[] = probe.columns.map((c, i) => {
    const col: Column = { name: aliases?.[i]?.name ?? c.name.toLowerCase(), type: c.type === 'void' ? 'string' : c.type };
    const cm = aliases?.[i]?.comment;
    if (cm !== undefined) col.comment = cm;
    return col;
  });
  // The emulator keeps the query's column order = data columns then partition columns (fill() relies on it).
  const tail = all.slice(all.length - partitionedOn.length).map((c) => c.name);
  partitionedOn.forEach((k, i) => {
    const col = all.find((c) => c.name === k);
    if (!col) throw semanticError(pos, `partition column ${k} is not a column of materialized view ${q.name}`);
    if (tail[i] !== k) throw semanticError(pos, `partition columns of materialized view ${q.name} must be the last columns of its query, in PARTITIONED ON order`);
    if (!PARTITION_KEY_TYPES.has(col.type)) col.type = 'string';
  });
  info.columns = all.filter((c) => !partitionedOn.includes(c.name));
  info.partitionKeys = partitionedOn.map((k) => all.find((c) => c.name === k)!);
  if (info.columns.length === 0) throw semanticError(pos, `materialized view ${q.name} needs a column that is not a partition column`);
  validateTableOptions(info, pos);
  await s.ensureSchema(q.project, q.schema);
  await s.exec(physicalDdl(info), pos);
  const entry = await register(s, info);
  if (!deferred) await fill(s, entry, pos);
  return EMPTY_RESULT;
}

/** ALTER MATERIALIZED VIEW name REBUILD [PARTITION (...)]: runs the query again (the whole view). */
export async function alterMaterializedView(s: Session, cur: Cursor, pos: SourcePos): Promise<SqlResult> {
  cur.expectWord('MATERIALIZED');
  cur.expectWord('VIEW');
  const { parts, token } = cur.expectName('materialized view name');
  const entry = s.require(parts, token);
  if (entry.info.type !== 'MATERIALIZED_VIEW') throw semanticError(token, `${entry.info.name} is not a materialized view`);
  cur.expectWord('REBUILD');
  if (cur.acceptWord('PARTITION')) {
    cur.expectOp('(');
    let depth = 1;
    while (depth > 0) {
      const t = cur.next();
      if (t.kind === 'op' && t.text === '(') depth++;
      if (t.kind === 'op' && t.text === ')') depth--;
    }
  }
  cur.expectEnd();
  await fill(s, entry, pos);
  return EMPTY_RESULT;
}
