// MaxCompute SQL tokenizer: words, `quoted` identifiers, '...'/"..." strings with backslash escapes, numbers, operators.
import { parseError } from '../sql-error.js';

export type TokenKind = 'word' | 'qident' | 'string' | 'number' | 'op' | 'ws';

export interface Token {
  kind: TokenKind;
  /** Source text of the token (comments become 'ws' tokens with their text). */
  text: string;
  /** Identifier name (word/qident), unescaped string value (string), upper-cased suffix-free digits (number). */
  value: string;
  /** Numeric literal suffix (L, Y, S, BD) when present. */
  suffix?: string;
  start: number;
  end: number;
  line: number;
  col: number;
}

const OPS3 = ['<=>'];
const OPS2 = ['<=', '>=', '<>', '!=', '==', '||', '::', '&&'];

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', '0': '\0', Z: '\x1a' };

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const n = sql.length;

  const push = (kind: TokenKind, start: number, value: string, suffix?: string): void => {
    const text = sql.slice(start, i);
    const tok: Token = { kind, text, value, start, end: i, line: tokLine, col: start - tokLineStart + 1 };
    if (suffix) tok.suffix = suffix;
    tokens.push(tok);
    for (let k = start; k < i; k++) {
      if (sql.charCodeAt(k) === 10) {
        line++;
        lineStart = k + 1;
      }
    }
  };
  let tokLine = 1;
  let tokLineStart = 0;

  while (i < n) {
    tokLine = line;
    tokLineStart = lineStart;
    const start = i;
    const c = sql[i]!;
    if (/\s/.test(c)) {
      while (i < n && /\s/.test(sql[i]!)) i++;
      push('ws', start, ' ');
    } else if (c === '-' && sql[i + 1] === '-') {
      while (i < n && sql[i] !== '\n') i++;
      push('ws', start, ' ');
    } else if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      if (close < 0) throw parseError({ line, col: start - lineStart + 1 }, 'unterminated comment');
      i = close + 2;
      push('ws', start, ' ');
    } else if (c === "'" || c === '"') {
      i++;
      let value = '';
      for (;;) {
        if (i >= n) throw parseError({ line: tokLine, col: start - tokLineStart + 1 }, 'unterminated string literal');
        const ch = sql[i]!;
        if (ch === '\\' && i + 1 < n) {
          const e = sql[i + 1]!;
          value += ESCAPES[e] ?? e;
          i += 2;
        } else if (ch === c) {
          // A doubled quote inside a literal is an escaped quote (SQL style), accepted as well.
          if (sql[i + 1] === c) {
            value += c;
            i += 2;
          } else {
            i++;
            break;
          }
        } else {
          value += ch;
          i++;
        }
      }
      push('string', start, value);
    } else if (c === '`') {
      i++;
      let value = '';
      for (;;) {
        if (i >= n) throw parseError({ line: tokLine, col: start - tokLineStart + 1 }, 'unterminated quoted identifier');
        if (sql[i] === '`') {
          if (sql[i + 1] === '`') {
            value += '`';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += sql[i];
        i++;
      }
      push('qident', start, value);
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      while (i < n && /[0-9]/.test(sql[i]!)) i++;
      if (sql[i] === '.' && /[0-9]/.test(sql[i + 1] ?? '')) {
        i++;
        while (i < n && /[0-9]/.test(sql[i]!)) i++;
      } else if (sql[i] === '.' && !/[A-Za-z_]/.test(sql[i + 1] ?? '')) {
        i++;
      }
      if (/[eE]/.test(sql[i] ?? '') && /[0-9+-]/.test(sql[i + 1] ?? '')) {
        const save = i;
        i++;
        if (sql[i] === '+' || sql[i] === '-') i++;
        if (/[0-9]/.test(sql[i] ?? '')) while (i < n && /[0-9]/.test(sql[i]!)) i++;
        else i = save;
      }
      const digitsEnd = i;
      let suffix: string | undefined;
      const rest = sql.slice(i, i + 3);
      const m = /^(BD|[LYSDF])(?![A-Za-z0-9_])/i.exec(rest);
      if (m) {
        suffix = m[1]!.toUpperCase();
        i += m[1]!.length;
      }
      const tokValue = sql.slice(start, digitsEnd);
      if (/[A-Za-z_]/.test(sql[i] ?? '')) {
        // e.g. 1day or a name starting with digits: read it as a word.
        while (i < n && /[A-Za-z0-9_$]/.test(sql[i]!)) i++;
        push('word', start, sql.slice(start, i));
      } else {
        push('number', start, tokValue, suffix);
      }
    } else if (/[A-Za-z_$\u0080-\uffff]/.test(c)) {
      while (i < n && /[A-Za-z0-9_$\u0080-\uffff]/.test(sql[i]!)) i++;
      push('word', start, sql.slice(start, i));
    } else {
      const three = sql.slice(i, i + 3);
      const two = sql.slice(i, i + 2);
      if (OPS3.includes(three)) i += 3;
      else if (OPS2.includes(two)) i += 2;
      else i++;
      push('op', start, sql.slice(start, i));
    }
  }
  return tokens;
}

/** True when the token is the (case-insensitive) keyword. */
export function isWord(t: Token | undefined, ...words: string[]): boolean {
  if (!t || t.kind !== 'word') return false;
  const u = t.value.toUpperCase();
  return words.includes(u);
}

export function isOp(t: Token | undefined, op: string): boolean {
  return !!t && t.kind === 'op' && t.text === op;
}
