// A cursor over a statement's non-whitespace tokens with expect/accept helpers that raise ODPS parse errors.
import { parseError } from '../sql-error.js';
import type { SourcePos } from '../sql-error.js';
import { isOp, isWord } from './tokenizer.js';
import type { Token } from './tokenizer.js';

export class Cursor {
  /** Index into `all` of each non-ws token. */
  private readonly idx: number[];
  pos = 0;

  constructor(readonly all: Token[]) {
    this.idx = [];
    all.forEach((t, i) => {
      if (t.kind !== 'ws') this.idx.push(i);
    });
  }

  get done(): boolean {
    return this.pos >= this.idx.length;
  }

  peek(ahead = 0): Token | undefined {
    const i = this.idx[this.pos + ahead];
    return i === undefined ? undefined : this.all[i];
  }

  next(): Token {
    const t = this.peek();
    if (!t) throw parseError(this.endPos(), 'unexpected end of statement');
    this.pos++;
    return t;
  }

  /** Position in the full token array of the current token (or all.length at the end). */
  rawIndex(): number {
    return this.idx[this.pos] ?? this.all.length;
  }

  /** Tokens (ws included) of the non-ws positions [from, to). */
  slice(from: number, to: number): Token[] {
    if (to <= from) return [];
    return this.all.slice(this.idx[from]!, this.idx[to - 1]! + 1);
  }

  /** Tokens (ws included) from the current token to the end. */
  rest(): Token[] {
    return this.all.slice(this.rawIndex());
  }

  endPos(): SourcePos {
    const last = this.all[this.all.length - 1];
    return last ? { line: last.line, col: last.col + last.text.length } : { line: 1, col: 1 };
  }

  posOf(t: Token | undefined): SourcePos {
    return t ? { line: t.line, col: t.col } : this.endPos();
  }

  acceptWord(...words: string[]): Token | undefined {
    const t = this.peek();
    if (isWord(t, ...words)) {
      this.pos++;
      return t;
    }
    return undefined;
  }

  /** Accept a sequence of keywords, all or nothing. */
  acceptWords(...words: string[]): boolean {
    for (let k = 0; k < words.length; k++) if (!isWord(this.peek(k), words[k]!)) return false;
    this.pos += words.length;
    return true;
  }

  expectWord(...words: string[]): Token {
    const t = this.peek();
    if (!isWord(t, ...words)) throw this.unexpected(`expecting ${words.join(' or ')}`);
    this.pos++;
    return t!;
  }

  acceptOp(op: string): Token | undefined {
    const t = this.peek();
    if (isOp(t, op)) {
      this.pos++;
      return t;
    }
    return undefined;
  }

  expectOp(op: string): Token {
    const t = this.peek();
    if (!isOp(t, op)) throw this.unexpected(`expecting '${op}'`);
    this.pos++;
    return t!;
  }

  /** An identifier: a word or a `quoted` name. Returns its name. */
  expectIdent(what: string): { name: string; token: Token } {
    const t = this.peek();
    if (!t || (t.kind !== 'word' && t.kind !== 'qident')) throw this.unexpected(`expecting ${what}`);
    this.pos++;
    return { name: t.value, token: t };
  }

  /** Dotted name a[.b[.c]]. */
  expectName(what: string): { parts: string[]; token: Token } {
    const first = this.expectIdent(what);
    const parts = [first.name];
    while (isOp(this.peek(), '.')) {
      this.pos++;
      parts.push(this.expectIdent(what).name);
    }
    return { parts, token: first.token };
  }

  expectString(what: string): string {
    const t = this.peek();
    if (!t || t.kind !== 'string') throw this.unexpected(`expecting ${what}`);
    this.pos++;
    return t.value;
  }

  expectInteger(what: string): number {
    let neg = false;
    if (this.acceptOp('-')) neg = true;
    const t = this.peek();
    if (!t || t.kind !== 'number' || !/^\d+$/.test(t.value)) throw this.unexpected(`expecting ${what}`);
    this.pos++;
    return neg ? -Number(t.value) : Number(t.value);
  }

  expectEnd(): void {
    if (!this.done) throw this.unexpected('expecting end of statement');
  }

  unexpected(expecting: string): Error {
    const t = this.peek();
    const near = t ? `'${t.text}'` : '<EOF>';
    return parseError(this.posOf(t), `line ${this.posOf(t).line}:${this.posOf(t).col} mismatched input ${near} ${expecting}`);
  }
}
