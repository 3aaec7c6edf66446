// LATERAL VIEW [OUTER] explode|posexplode(expr) t AS c1[, c2] -> a DuckDB LATERAL join over UNNEST, as a token rewrite before translation.
import { quoteIdent } from '../physical-names.js';
import { parseError, semanticError } from '../sql-error.js';
import { isOp, isWord } from './tokenizer.js';
import type { Token } from './tokenizer.js';
import { matchParen } from './token-groups.js';
import { nextSolid } from './translate.js';

/**
 * A token carrying DuckDB text the translator copies verbatim: an 'op' whose text is never a lone
 * bracket or comma, so paren matching and the function allow-list do not see the engine's own
 * UNNEST/map_keys calls (the user's expression in between is translated as usual).
 */
function raw(like: Token, text: string): Token {
  return { ...like, kind: 'op', text, value: text };
}

function ident(tokens: Token[], k: number, what: string): number {
  const t = tokens[k];
  if (k < 0 || !t || (t.kind !== 'word' && t.kind !== 'qident')) {
    const at = t ?? tokens[tokens.length - 1]!;
    throw parseError(at, `line ${at.line}:${at.col} expecting ${what} in LATERAL VIEW`);
  }
  return k;
}

/** Rewrite every LATERAL VIEW clause in the token list (any nesting level). */
export function rewriteLateralViews(tokens: Token[]): Token[] {
  if (!tokens.some((t) => isWord(t, 'LATERAL'))) return tokens;
  const out: Token[] = [];
  let k = 0;
  while (k < tokens.length) {
    const t = tokens[k]!;
    const v = nextSolid(tokens, k + 1);
    if (!isWord(t, 'LATERAL') || v < 0 || !isWord(tokens[v], 'VIEW')) {
      out.push(t);
      k++;
      continue;
    }
    let f = nextSolid(tokens, v + 1);
    const outer = isWord(tokens[f], 'OUTER');
    if (outer) f = nextSolid(tokens, f + 1);
    f = ident(tokens, f, 'a table function');
    const fn = tokens[f]!.value.toLowerCase();
    const open = nextSolid(tokens, f + 1);
    if (open < 0 || !isOp(tokens[open], '(')) throw parseError(tokens[f]!, `line ${tokens[f]!.line}:${tokens[f]!.col} expecting '(' after ${fn}`);
    const close = matchParen(tokens, open);
    if (close < 0) throw semanticError(tokens[open]!, "unbalanced '('");
    const args = tokens.slice(open + 1, close);
    const alias = ident(tokens, nextSolid(tokens, close + 1), 'a table alias');
    let c = nextSolid(tokens, alias + 1);
    if (isWord(tokens[c], 'AS')) c = nextSolid(tokens, c + 1);
    // Column aliases: one (explode of an array) or two (explode of a map, posexplode).
    const cols = [tokens[ident(tokens, c, 'a column alias')]!.value];
    k = c + 1;
    const comma = nextSolid(tokens, c + 1);
    const second = comma < 0 ? -1 : nextSolid(tokens, comma + 1);
    if (isOp(tokens[comma], ',') && second >= 0 && (tokens[second]!.kind === 'word' || tokens[second]!.kind === 'qident')) {
      cols.push(tokens[second]!.value);
      k = second + 1;
    }
    if (args.every((a) => a.kind === 'ws')) throw semanticError(tokens[f]!, `${fn} needs an argument`);
    const q = cols.map(quoteIdent);
    const join = outer ? ' LEFT JOIN LATERAL (SELECT ' : ' CROSS JOIN LATERAL (SELECT ';
    const end = `) AS ${quoteIdent(tokens[alias]!.value)}${outer ? ' ON TRUE' : ''} `;
    if (fn === 'explode' && cols.length === 1) {
      out.push(raw(t, `${join}UNNEST(`), ...args, raw(t, `) AS ${q[0]}${end}`));
    } else if (fn === 'explode' && cols.length === 2) {
      // A map explodes to key and value: two UNNESTs in one select list advance together.
      out.push(raw(t, `${join}UNNEST(map_keys(`), ...args, raw(t, `)) AS ${q[0]}, UNNEST(map_values(`), ...args, raw(t, `)) AS ${q[1]}${end}`));
    } else if (fn === 'posexplode' && cols.length === 2) {
      out.push(raw(t, `${join}UNNEST(generate_series(0, len(`), ...args, raw(t, `) - 1)) AS ${q[0]}, UNNEST(`), ...args, raw(t, `) AS ${q[1]}${end}`));
    } else {
      throw semanticError(tokens[f]!, `LATERAL VIEW ${fn} with ${cols.length} column alias(es) is not supported by the emulator, only explode(array) AS c, explode(map) AS k, v and posexplode(array) AS pos, v`);
    }
  }
  return out;
}
