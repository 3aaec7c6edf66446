// Runs a MaxCompute SQL script: SET hints, statement dispatch, one transaction per statement.
import type { Catalog } from './catalog.js';
import type { EngineCore } from './session.js';
import { defineVariable, expandVariables } from './script-vars.js';
import type { ScriptVars } from './script-vars.js';
import { Session } from './session.js';
import { fromDuckError, parseError, schemaNotFound, semanticError } from './sql-error.js';
import { createSchemaStatement, dropSchemaStatement } from './schemas.js';
import type { SourcePos } from './sql-error.js';
import type { ExecuteOptions, SqlResult } from './types.js';
import { Cursor } from './sql/cursor.js';
import { splitStatements } from './sql/split.js';
import type { Statement } from './sql/split.js';
import { isOp, isWord, tokenize } from './sql/tokenizer.js';
import { alterTable, createTable, createView, dropTable, EMPTY_RESULT } from './statements/ddl-table.js';
import { deleteFrom, merge, update } from './statements/dml.js';
import { explain } from './statements/explain.js';
import { insert, truncate } from './statements/insert.js';
import { alterMaterializedView, createMaterializedView } from './statements/materialized-view.js';
import { describe, show } from './statements/show.js';
import { checkTimeZoneHint, TIME_ZONE_SETTING } from './time-zone-hint.js';

const SET_RE = /^set\s+([^=]+?)\s*=\s*([\s\S]*?)\s*$/i;

async function dispatch(s: Session, stmt: Statement): Promise<SqlResult> {
  const cur = new Cursor(stmt.tokens);
  const first = cur.peek()!;
  const pos: SourcePos = { line: first.line, col: first.col };
  if (isOp(first, '(')) return s.select(s.translate(stmt.tokens), pos, undefined, true);
  if (first.kind !== 'word') throw parseError(pos, `line ${pos.line}:${pos.col} cannot recognize input near '${first.text}'`);
  const kw = first.value.toUpperCase();
  switch (kw) {
    case 'SELECT': case 'WITH': case 'VALUES': case 'FROM':
      return s.select(s.translate(stmt.tokens), pos, undefined, true);
    case 'CREATE': {
      cur.next();
      if (isWord(cur.peek(), 'MATERIALIZED')) return createMaterializedView(s, cur, pos);
      const orReplace = cur.acceptWords('OR', 'REPLACE');
      if (cur.peek() && cur.peek()!.value.toUpperCase() === 'VIEW') return createView(s, cur, orReplace, pos);
      if (!orReplace && isWord(cur.peek(), 'SCHEMA')) return createSchemaStatement(s, cur, pos);
      if (orReplace) throw cur.unexpected('expecting VIEW after CREATE OR REPLACE');
      return createTable(s, cur, pos);
    }
    case 'DROP':
      cur.next();
      if (isWord(cur.peek(), 'SCHEMA')) return dropSchemaStatement(s, cur, pos);
      return dropTable(s, cur, pos);
    case 'ALTER':
      cur.next();
      if (isWord(cur.peek(), 'MATERIALIZED')) return alterMaterializedView(s, cur, pos);
      return alterTable(s, cur, pos);
    case 'INSERT':
      cur.next();
      return insert(s, cur, pos);
    case 'TRUNCATE':
      cur.next();
      return truncate(s, cur, pos);
    case 'DESC': case 'DESCRIBE':
      cur.next();
      return describe(s, cur);
    case 'SHOW':
      cur.next();
      return show(s, cur);
    case 'USE': {
      cur.next();
      const { name, token } = cur.expectIdent('schema name');
      cur.expectEnd();
      if (!s.core.catalog.hasSchema(s.project, name)) throw schemaNotFound(cur.posOf(token), s.project, name.toLowerCase());
      s.schema = name.toLowerCase();
      return EMPTY_RESULT;
    }
    case 'UPDATE':
      cur.next();
      return update(s, cur, pos);
    case 'DELETE':
      cur.next();
      return deleteFrom(s, cur, pos);
    case 'MERGE':
      cur.next();
      return merge(s, cur, pos);
    case 'EXPLAIN':
      cur.next();
      return explain(s, cur, pos);
    case 'GRANT': case 'REVOKE':
      throw semanticError(pos, `${kw} statements are not supported by the emulator`);
    default:
      throw parseError(pos, `line ${pos.line}:${pos.col} cannot recognize input near '${first.text}'`);
  }
}

function needsTransaction(stmt: Statement): boolean {
  const first = stmt.tokens.find((t) => t.kind !== 'ws');
  return !(first?.kind === 'word' && /^(SELECT|WITH|VALUES|FROM|DESC|DESCRIBE|SHOW|USE|EXPLAIN)$/i.test(first.value));
}

export async function runScript(
  core: EngineCore & { catalog: Catalog; restoreCatalog(snapshot: Catalog['tables']): void },
  project: string,
  sql: string,
  opts: ExecuteOptions,
  owner: string,
): Promise<SqlResult> {
  const statements = splitStatements(sql, tokenize(sql));
  const hints: Record<string, string> = { ...(opts.hints ?? {}) };
  checkTimeZoneHint(hints[TIME_ZONE_SETTING]);
  const schema = (opts.schema ?? hints['odps.default.schema'] ?? 'default').toLowerCase();
  const session = new Session(core, project, schema, owner, hints);
  session.keepResultOver = opts.keepResultOver;
  session.namespaceSchema = opts.namespaceSchema ?? true;
  session.threeTierNames = opts.namespaceSchema === true || hints['odps.namespace.schema'] === 'true';
  session.functions = opts.functions;
  let result: SqlResult = EMPTY_RESULT;
  const vars: ScriptVars = new Map();
  for (const source of statements) {
    core.control?.throwIfCancelled();
    const set = SET_RE.exec(source.text);
    if (set && /^set$/i.test(source.tokens[0]!.value)) {
      const key = set[1]!.trim();
      hints[key] = set[2]!;
      if (key === TIME_ZONE_SETTING) checkTimeZoneHint(set[2]);
      if (key === 'odps.default.schema') session.schema = set[2]!.toLowerCase();
      continue;
    }
    if (defineVariable(source.tokens, vars)) continue;
    const stmt: Statement = { ...source, tokens: expandVariables(source.tokens, vars) };
    session.touched.clear();
    const tx = needsTransaction(stmt);
    const snapshot = tx ? structuredClone(core.catalog.tables) : undefined;
    if (tx) await core.conn.run('BEGIN TRANSACTION');
    try {
      // Only the last statement's result is answered: a kept result it replaces is released.
      const previous = result.snapshot;
      result = await dispatch(session, stmt);
      if (previous) await core.dropSnapshotLocked?.(previous.id);
      if (tx) await core.conn.run('COMMIT');
    } catch (err) {
      if (result.snapshot) {
        const kept = result.snapshot.id;
        await core.dropSnapshotLocked?.(kept).catch(() => {});
      }
      if (tx) {
        try {
          await core.conn.run('ROLLBACK');
        } catch {
          // The transaction may already be aborted by DuckDB; nothing left to undo.
        }
        core.restoreCatalog(snapshot!);
      }
      const first = stmt.tokens[0]!;
      throw fromDuckError(err, { line: first.line, col: first.col });
    }
  }
  return result;
}
