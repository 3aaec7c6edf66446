// Script-mode variables: `@v := <query or expression>;` defines, a later `@v` stands for it (a table after FROM/JOIN).
import { parseError, semanticError } from './sql-error.js';
import { isOp, isWord } from './sql/tokenizer.js';
import type { Token } from './sql/tokenizer.js';

export type ScriptVars = Map<string, Token[]>;

function solid(tokens: Token[]): number[] {
  const idx: number[] = [];
  tokens.forEach((t, i) => {
    if (t.kind !== 'ws') idx.push(i);
  });
  return idx;
}

function synthetic(like: Token, kind: Token['kind'], text: string): Token {
  return { ...like, kind, text, value: text };
}

/** Words that may follow a table reference without being its alias. */
const AFTER_TABLE = new Set([
  'ON', 'WHERE', 'GROUP', 'ORDER', 'LIMIT', 'JOIN', 'LEFT', 'RIGHT', 'INNER', 'FULL', 'CROSS', 'OUTER', 'SEMI', 'ANTI',
  'UNION', 'EXCEPT', 'INTERSECT', 'MINUS', 'LATERAL', 'HAVING', 'WINDOW', 'DISTRIBUTE', 'SORT', 'CLUSTER', 'USING', 'NATURAL',
]);

/** Whether the reference ending before index `from` is followed by an alias (`AS x`, `x`, or a `quoted` name). */
function hasAlias(tokens: Token[], from: number): boolean {
  const next = tokens.slice(from).find((t) => t.kind !== 'ws');
  if (!next) return false;
  if (next.kind === 'qident') return true;
  return next.kind === 'word' && !AFTER_TABLE.has(next.value.toUpperCase());
}

/**
 * Replace each `@name` by its definition in parentheses; after FROM or JOIN the parenthesized query
 * is aliased with the variable's name, as the service lets `select v.a from @v` refer to it.
 */
export function expandVariables(tokens: Token[], vars: ScriptVars): Token[] {
  if (!tokens.some((t) => isOp(t, '@'))) return tokens;
  const out: Token[] = [];
  let prevSolid: Token | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (isOp(t, '@')) {
      const name = tokens[i + 1];
      if (!name || name.kind !== 'word') throw parseError(t, `line ${t.line}:${t.col} expecting a variable name after '@'`);
      const def = vars.get(name.value.toLowerCase());
      if (!def) throw semanticError(t, `variable @${name.value} is not defined`);
      out.push(synthetic(t, 'op', '('), ...def, synthetic(t, 'op', ')'));
      if (isWord(prevSolid, 'FROM', 'JOIN') && !hasAlias(tokens, i + 2)) {
        out.push(synthetic(t, 'ws', ' '), synthetic(t, 'word', 'AS'), synthetic(t, 'ws', ' '), synthetic(name, 'qident', name.value));
      }
      prevSolid = name;
      i++;
      continue;
    }
    out.push(t);
    if (t.kind !== 'ws') prevSolid = t;
  }
  return out;
}

/** If the statement is `@name := body`, record body (variables in it already expanded) and return true. */
export function defineVariable(tokens: Token[], vars: ScriptVars): boolean {
  const idx = solid(tokens);
  const at = tokens[idx[0]!];
  if (!isOp(at, '@')) return false;
  const name = tokens[idx[1]!];
  if (!name || name.kind !== 'word') throw parseError(at, `line ${at!.line}:${at!.col} expecting a variable name after '@'`);
  let k = 2;
  const a = tokens[idx[k]!];
  if (isOp(a, ':=')) k += 1;
  else if (isOp(a, ':') && isOp(tokens[idx[k + 1]!], '=')) k += 2;
  else return false;
  const body = tokens.slice(idx[k] ?? tokens.length);
  if (body.every((t) => t.kind === 'ws')) throw parseError(name, `line ${name.line}:${name.col} expecting a query or expression after @${name.value} :=`);
  vars.set(name.value.toLowerCase(), expandVariables(body, vars));
  return true;
}
