// EXPLAIN <query>: the plan as text (DuckDB's physical plan under a MaxCompute-style job header); nothing runs.
import type { Session } from '../session.js';
import { fromDuckError, semanticError } from '../sql-error.js';
import type { SourcePos } from '../sql-error.js';
import type { SqlResult } from '../types.js';
import type { Cursor } from '../sql/cursor.js';
import { isOp, isWord } from '../sql/tokenizer.js';

/** EXPLAIN query (after EXPLAIN). Only queries: the service plans DML as jobs the emulator does not model. */
export async function explain(s: Session, cur: Cursor, pos: SourcePos): Promise<SqlResult> {
  const first = cur.peek();
  if (!first) throw cur.unexpected('expecting a statement to explain');
  if (!isOp(first, '(') && !isWord(first, 'SELECT', 'WITH', 'FROM', 'VALUES')) {
    throw semanticError(cur.posOf(first), `EXPLAIN ${first.text.toUpperCase()} is not supported by the emulator, only EXPLAIN of a query`);
  }
  const query = s.translate(cur.rest());
  let plan: string;
  try {
    const reader = await s.conn.runAndReadAll(`EXPLAIN ${query}`);
    plan = reader.getRows().map((r) => String(r[1] ?? '')).join('\n');
  } catch (err) {
    throw fromDuckError(err, pos);
  }
  const text = `Job Queueing...\nSummary:\nJob0 is root job\n\nIn Job Job0:\nRoot Tasks: M1\n\nIn Task M1:\n${plan.trimEnd()}\n`;
  return { columns: [{ name: 'plan', type: 'string' }], rows: [[text]], isSelect: false, text };
}
