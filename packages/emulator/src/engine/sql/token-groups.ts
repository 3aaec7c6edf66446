// Parenthesis matching and argument splitting over token lists (no DuckDB, usable outside the engine).
import type { Token } from './tokenizer.js';

/** Index of the ')' matching the '(' at `open`, or -1. */
export function matchParen(tokens: Token[], open: number): number {
  let depth = 0;
  for (let k = open; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind !== 'op') continue;
    if (t.text === '(') depth++;
    else if (t.text === ')') {
      depth--;
      if (depth === 0) return k;
    }
  }
  return -1;
}

/** Split tokens [from, to) at top-level commas. */
export function splitArgs(tokens: Token[], from: number, to: number): Token[][] {
  const args: Token[][] = [];
  let cur: Token[] = [];
  let depth = 0;
  for (let k = from; k < to; k++) {
    const t = tokens[k]!;
    if (t.kind === 'op' && (t.text === '(' || t.text === '[')) depth++;
    if (t.kind === 'op' && (t.text === ')' || t.text === ']')) depth--;
    if (depth === 0 && t.kind === 'op' && t.text === ',') {
      args.push(cur);
      cur = [];
    } else cur.push(t);
  }
  if (cur.some((t) => t.kind !== 'ws') || args.length > 0) args.push(cur);
  return args;
}
