// UPDATE, DELETE and MERGE INTO on transactional tables, run as DuckDB UPDATE / DELETE / MERGE on the physical table.
import type { TableEntry } from '../catalog.js';
import { physicalTable, quoteIdent, quoteLiteral } from '../physical-names.js';
import type { Session } from '../session.js';
import { semanticError } from '../sql-error.js';
import type { SourcePos } from '../sql-error.js';
import type { SqlResult } from '../types.js';
import { applyWriteRules } from '../write-rules.js';
import type { Cursor } from '../sql/cursor.js';
import { isOp, isWord } from '../sql/tokenizer.js';
import type { Token } from '../sql/tokenizer.js';
import { EMPTY_RESULT } from './ddl-table.js';
import { parseSpecItems } from './partition-spec.js';

/**
 * Tokens (whitespace kept) from the cursor up to a top-level stop word, ',' (when `comma`) or ')'
 * (when `closeParen`), or the end; the cursor stops on the stop token.
 */
function collect(cur: Cursor, stopWords: string[], comma = false, closeParen = false): Token[] {
  const from = cur.pos;
  let depth = 0;
  for (;;) {
    const t = cur.peek();
    if (!t) break;
    if (depth === 0 && (isWord(t, ...stopWords) || (comma && isOp(t, ',')) || (closeParen && isOp(t, ')')))) break;
    // CASE ... END nests like parentheses: its WHEN is not a MERGE clause.
    if (isOp(t, '(') || isWord(t, 'CASE')) depth++;
    if (isOp(t, ')') || isWord(t, 'END')) depth--;
    cur.next();
  }
  return cur.slice(from, cur.pos);
}

function translated(s: Session, cur: Cursor, tokens: Token[], what: string): string {
  if (tokens.every((t) => t.kind === 'ws')) throw cur.unexpected(`expecting ${what}`);
  return s.translate(tokens);
}

interface Target {
  entry: TableEntry;
  phys: string;
  alias: string;
  /** Partition filter (TRUE without PARTITION). */
  where: string;
}

/** "name [[AS] alias] [PARTITION (spec)]" of a transactional table; `verb` names the statement in errors. */
function target(s: Session, cur: Cursor, verb: string, stopWords: string[]): Target {
  const { parts, token } = cur.expectName('table name');
  const entry = s.require(parts, token);
  const info = entry.info;
  if (info.type !== 'MANAGED_TABLE') throw semanticError(token, `${verb} is not allowed on ${info.name}: it is not a table`);
  if (!info.transactional) {
    throw semanticError(token, `${verb} is only supported on transactional table, ${info.project}.${info.name} is not transactional`);
  }
  s.touched.set(physicalTable(info.project, info.schema, info.name), entry);
  let alias = info.name;
  cur.acceptWord('AS');
  const a = cur.peek();
  if (a && (a.kind === 'qident' || (a.kind === 'word' && !isWord(a, 'PARTITION', ...stopWords)))) alias = cur.expectIdent('alias').name;
  let where = 'TRUE';
  if (cur.acceptWord('PARTITION')) {
    if (info.partitionKeys.length === 0) throw semanticError(token, `table ${info.project}.${info.name} is not partitioned`);
    // Qualified by the alias: a MERGE/UPDATE source may have columns of the same names.
    where = parseSpecItems(cur, entry, false)
      .map((i) => `${quoteIdent(alias)}.${quoteIdent(i.key)} = ${quoteLiteral(i.value!)}`)
      .join(' AND ');
  }
  return { entry, phys: physicalTable(info.project, info.schema, info.name), alias, where };
}

/** "a = expr, b = expr ..." up to a top-level stop word; columns checked against the target. */
function assignments(s: Session, cur: Cursor, t: Target, stopWords: string[]): string {
  const out: string[] = [];
  const info = t.entry.info;
  do {
    const name = cur.expectName('column name');
    const col = name.parts[name.parts.length - 1]!.toLowerCase();
    if (info.partitionKeys.some((k) => k.name === col)) throw semanticError(name.token, `partition column ${col} cannot be updated`);
    if (info.primaryKey?.includes(col)) throw semanticError(name.token, `primary key column ${col} cannot be updated`);
    if (!info.columns.some((c) => c.name === col)) throw semanticError(name.token, `column ${col} cannot be resolved in ${info.name}`);
    cur.expectOp('=');
    out.push(`${quoteIdent(col)} = (${translated(s, cur, collect(cur, stopWords, true), 'an expression')})`);
  } while (cur.acceptOp(','));
  return out.join(', ');
}

async function afterWrite(s: Session, t: Target, pos: SourcePos): Promise<SqlResult> {
  await applyWriteRules(s.conn, t.entry.info, pos);
  await s.refreshStats(t.entry, t.entry.info.partitionKeys.length === 0 ? 'all' : [], pos);
  return EMPTY_RESULT;
}

/** UPDATE t [PARTITION (...)] SET a = e, ... [FROM ...] [WHERE cond] (after UPDATE). */
export async function update(s: Session, cur: Cursor, pos: SourcePos): Promise<SqlResult> {
  const t = target(s, cur, 'UPDATE', ['SET']);
  cur.expectWord('SET');
  const set = assignments(s, cur, t, ['FROM', 'WHERE']);
  let from = '';
  if (isWord(cur.peek(), 'FROM')) from = ' ' + s.translate(collect(cur, ['WHERE']));
  let cond = 'TRUE';
  if (cur.acceptWord('WHERE')) cond = translated(s, cur, cur.rest(), 'a condition');
  await s.exec(`UPDATE ${t.phys} AS ${quoteIdent(t.alias)} SET ${set}${from} WHERE (${cond}) AND ${t.where}`, pos);
  return afterWrite(s, t, pos);
}

/** DELETE FROM t [PARTITION (...)] [WHERE cond] (after DELETE). */
export async function deleteFrom(s: Session, cur: Cursor, pos: SourcePos): Promise<SqlResult> {
  cur.expectWord('FROM');
  const t = target(s, cur, 'DELETE', ['WHERE']);
  let cond = 'TRUE';
  if (cur.acceptWord('WHERE')) cond = translated(s, cur, cur.rest(), 'a condition');
  else cur.expectEnd();
  await s.exec(`DELETE FROM ${t.phys} AS ${quoteIdent(t.alias)} WHERE (${cond}) AND ${t.where}`, pos);
  return afterWrite(s, t, pos);
}

/** USING source [AS] alias: a table name or a parenthesized query. */
function mergeSource(s: Session, cur: Cursor): string {
  let sql: string;
  let alias: string | undefined;
  if (cur.acceptOp('(')) {
    const inner = collect(cur, [], false, true);
    cur.expectOp(')');
    sql = `(${translated(s, cur, inner, 'a query')})`;
  } else {
    const { parts, token } = cur.expectName('source table name');
    sql = s.resolve(parts, token);
    alias = parts[parts.length - 1]!;
  }
  cur.acceptWord('AS');
  if (!isWord(cur.peek(), 'ON')) alias = cur.expectIdent('source alias').name;
  if (alias === undefined) throw cur.unexpected('expecting an alias for the MERGE source query');
  return `${sql} AS ${quoteIdent(alias)}`;
}

/** One "WHEN [NOT] MATCHED [AND cond] THEN action" clause. */
function whenClause(s: Session, cur: Cursor, t: Target): string {
  cur.expectWord('WHEN');
  const not = !!cur.acceptWord('NOT');
  cur.expectWord('MATCHED');
  let head = not ? 'WHEN NOT MATCHED' : 'WHEN MATCHED';
  if (cur.acceptWord('AND')) head += ` AND (${translated(s, cur, collect(cur, ['THEN']), 'a condition')})`;
  cur.expectWord('THEN');
  if (not) {
    cur.expectWord('INSERT');
    let cols = '';
    if (cur.acceptOp('(')) {
      const names: string[] = [];
      do names.push(quoteIdent(cur.expectIdent('column name').name.toLowerCase()));
      while (cur.acceptOp(','));
      cur.expectOp(')');
      cols = ` (${names.join(', ')})`;
    }
    cur.expectWord('VALUES');
    cur.expectOp('(');
    const values: string[] = [];
    do values.push(translated(s, cur, collect(cur, [], true, true), 'a value'));
    while (cur.acceptOp(','));
    cur.expectOp(')');
    return `${head} THEN INSERT${cols} VALUES (${values.join(', ')})`;
  }
  if (cur.acceptWord('DELETE')) return `${head} THEN DELETE`;
  cur.expectWord('UPDATE');
  cur.expectWord('SET');
  return `${head} THEN UPDATE SET ${assignments(s, cur, t, ['WHEN'])}`;
}

/** MERGE INTO t [AS a] USING src [AS b] ON cond WHEN ... (after MERGE). */
export async function merge(s: Session, cur: Cursor, pos: SourcePos): Promise<SqlResult> {
  cur.expectWord('INTO');
  const t = target(s, cur, 'MERGE', ['USING']);
  if (t.where !== 'TRUE') throw semanticError(pos, 'MERGE INTO does not take a PARTITION clause, put the partition filter in ON');
  cur.expectWord('USING');
  const source = mergeSource(s, cur);
  cur.expectWord('ON');
  const on = translated(s, cur, collect(cur, ['WHEN']), 'a join condition');
  const clauses: string[] = [];
  while (!cur.done) clauses.push(whenClause(s, cur, t));
  if (clauses.length === 0) throw cur.unexpected('expecting WHEN MATCHED or WHEN NOT MATCHED');
  await s.exec(`MERGE INTO ${t.phys} AS ${quoteIdent(t.alias)} USING ${source} ON (${on}) ${clauses.join(' ')}`, pos);
  return afterWrite(s, t, pos);
}
