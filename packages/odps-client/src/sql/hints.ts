// Leading `SET k=v;` statements of a query become task settings (hints).

export interface SplitSql {
  sql: string;
  hints: Record<string, string>;
}

const LEADING_COMMENTS = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/;
const SET_STMT = /^set\s+([^\s=;]+)\s*=\s*([^;]*?)\s*;/i;

/** Peel `SET key=value;` statements (and comments between them) off the head of the script. */
export function splitSetStatements(sql: string): SplitSql {
  const hints: Record<string, string> = {};
  let rest = sql;
  for (let i = 0; i < 10_000; i++) {
    const lead = LEADING_COMMENTS.exec(rest)?.[0] ?? '';
    const m = SET_STMT.exec(rest.slice(lead.length));
    if (!m) break;
    hints[m[1] as string] = m[2] as string;
    rest = rest.slice(lead.length + m[0].length);
  }
  // A script made only of SET statements is sent unchanged: the server reports what it thinks of it.
  if (rest.trim() === '') return { sql, hints: {} };
  return { sql: rest.trim(), hints };
}
