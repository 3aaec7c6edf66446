// Split a token stream into statements at top-level ';' (quotes and comments are already single tokens).
import type { Token } from './tokenizer.js';

export interface Statement {
  /** Tokens without leading/trailing whitespace, ws tokens kept inside. */
  tokens: Token[];
  /** Source text of the statement. */
  text: string;
}

export function splitStatements(sql: string, tokens: Token[]): Statement[] {
  const out: Statement[] = [];
  let cur: Token[] = [];
  const flush = (): void => {
    let a = 0;
    let b = cur.length;
    while (a < b && cur[a]!.kind === 'ws') a++;
    while (b > a && cur[b - 1]!.kind === 'ws') b--;
    if (b > a) {
      const toks = cur.slice(a, b);
      out.push({ tokens: toks, text: sql.slice(toks[0]!.start, toks[toks.length - 1]!.end) });
    }
    cur = [];
  };
  for (const t of tokens) {
    if (t.kind === 'op' && t.text === ';') flush();
    else cur.push(t);
  }
  flush();
  return out;
}
