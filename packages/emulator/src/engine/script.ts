// Runs a MaxCompute SQL script: SET hints, statement dispatch, one transaction per statement.
import type { Catalog } from './catalog.js';
import type { EngineCore } from './session.js';
import { Session } from './session.js';
import { fromDuckError, parseError, semanticError } from './sql-error.js';
import type { SourcePos } from './sql-error.js';
import type { ExecuteOptions, SqlResult } from './types.js';
import { Cursor } from './sql/cursor.js';
import { splitStatements } from './sql/split.js';
import type { Statement } from './sql/split.js';
import { isOp, tokenize } from './sql/tokenizer.js';
import { alterTable, createTable, createView, dropTable, EMPTY_RESULT } from './statements/ddl-table.js';
import { insert, truncate } from './statements/insert.js';
import { describe, show } from './statements/show.js';

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
      const orReplace = cur.acceptWords('OR', 'REPLACE');
      if (cur.peek() && cur.peek()!.value.toUpperCase() === 'VIEW') return createView(s, cur, orReplace, pos);
      if (orReplace) throw cur.unexpected('expecting VIEW after CREATE OR REPLACE');
      return createTable(s, cur, pos);
    }
    case 'DROP':
      cur.next();
      return dropTable(s, cur, pos);
    case 'ALTER':
      cur.next();
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
      s.schema = cur.expectIdent('schema name').name.toLowerCase();
      cur.expectEnd();
      return EMPTY_RESULT;
    }
    case 'EXPLAIN': case 'UPDATE': case 'DELETE': case 'MERGE': case 'GRANT': case 'REVOKE':
      throw semanticError(pos, `${kw} statements are not supported by the emulator`);
    default:
      throw parseError(pos, `line ${pos.line}:${pos.col} cannot recognize input near '${first.text}'`);
  }
}

function needsTransaction(stmt: Statement): boolean {
  const first = stmt.tokens.find((t) => t.kind !== 'ws');
  return !(first?.kind === 'word' && /^(SELECT|WITH|VALUES|FROM|DESC|DESCRIBE|SHOW|USE)$/i.test(first.value));
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
  const schema = (opts.schema ?? hints['odps.default.schema'] ?? 'default').toLowerCase();
  const session = new Session(core, project, schema, owner, hints);
  session.keepResultOver = opts.keepResultOver;
  session.functions = opts.functions;
  let result: SqlResult = EMPTY_RESULT;
  for (const stmt of statements) {
    core.control?.throwIfCancelled();
    const set = SET_RE.exec(stmt.text);
    if (set && /^set$/i.test(stmt.tokens[0]!.value)) {
      const key = set[1]!.trim();
      hints[key] = set[2]!;
      if (key === 'odps.default.schema') session.schema = set[2]!.toLowerCase();
      continue;
    }
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
