// Storage API filter predicates: a typed tree, the SQL-like text the Java SDK sends as `FilterPredicate`, and its parser.
import { OdpsArgumentError } from '../errors.js';

/** A constant operand: strings and booleans as is, numbers finite, bigint for exact 64-bit values. */
export type PredicateConstant = string | number | bigint | boolean;

export type PredicateOperand = { kind: 'column'; name: string } | { kind: 'constant'; value: PredicateConstant };

export type ComparisonOperator = '=' | '!=' | '>' | '<' | '>=' | '<=' | 'LIKE';

/**
 * The predicate tree. Its text form follows the Java SDK's `com.aliyun.odps.table.optimizer.predicate`
 * classes (`BinaryPredicate`, `UnaryPredicate`, `InPredicate`, `CompoundPredicate`, `Attribute`,
 * `Constant`), so a filter built here reaches the service exactly as Java would send it.
 */
export type Predicate =
  | { kind: 'compare'; op: ComparisonOperator; left: PredicateOperand; right: PredicateOperand }
  | { kind: 'null'; negated: boolean; operand: PredicateOperand }
  | { kind: 'in'; negated: boolean; operand: PredicateOperand; values: PredicateOperand[] }
  | { kind: 'and' | 'or'; operands: Predicate[] }
  | { kind: 'not'; operand: Predicate };

/** A value in builder calls: a column reference from `col()`, or a constant. */
export type OperandInput = PredicateOperand | PredicateConstant;

/** A column reference (Java `Attribute.of`). */
export function col(name: string): PredicateOperand {
  if (typeof name !== 'string' || name.length === 0) throw new OdpsArgumentError('a predicate column name must be a non-empty string', 'InvalidPredicate');
  return { kind: 'column', name };
}

function operand(x: OperandInput): PredicateOperand {
  if (typeof x === 'object' && x !== null && 'kind' in x) return x;
  if (typeof x === 'number' && !Number.isFinite(x)) throw new OdpsArgumentError(`a predicate number must be finite, got ${String(x)}`, 'InvalidPredicate');
  if (typeof x !== 'string' && typeof x !== 'number' && typeof x !== 'bigint' && typeof x !== 'boolean') {
    throw new OdpsArgumentError(`a predicate constant must be a string, number, bigint or boolean, got ${x === null ? 'null' : typeof x}`, 'InvalidPredicate');
  }
  return { kind: 'constant', value: x };
}

function compare(op: ComparisonOperator) {
  return (left: OperandInput, right: OperandInput): Predicate => ({ kind: 'compare', op, left: operand(left), right: operand(right) });
}

function inList(negated: boolean) {
  return (x: OperandInput, values: readonly OperandInput[]): Predicate => {
    if (values.length === 0) throw new OdpsArgumentError('an IN predicate needs at least one value', 'InvalidPredicate');
    return { kind: 'in', negated, operand: operand(x), values: values.map(operand) };
  };
}

/** Builder mirroring the Java SDK's static factories: `P.and(P.gt(col('a'), 5), P.isNotNull(col('b')))`. */
export const P = {
  eq: compare('='),
  ne: compare('!='),
  gt: compare('>'),
  lt: compare('<'),
  ge: compare('>='),
  le: compare('<='),
  like: compare('LIKE'),
  in: inList(false),
  notIn: inList(true),
  isNull: (x: OperandInput): Predicate => ({ kind: 'null', negated: false, operand: operand(x) }),
  isNotNull: (x: OperandInput): Predicate => ({ kind: 'null', negated: true, operand: operand(x) }),
  and: (...operands: Predicate[]): Predicate => ({ kind: 'and', operands }),
  or: (...operands: Predicate[]): Predicate => ({ kind: 'or', operands }),
  not: (p: Predicate): Predicate => ({ kind: 'not', operand: p }),
};

function renderOperand(o: PredicateOperand): string {
  if (o.kind === 'column') {
    // Java Attribute: an already back-quoted name passes as is, otherwise backticks are doubled and added.
    if (o.name.length > 1 && o.name.startsWith('`') && o.name.endsWith('`')) return o.name;
    return '`' + o.name.replaceAll('`', '``') + '`';
  }
  const v = o.value;
  if (typeof v === 'string') {
    // Java's Constant quotes without escaping (a quote inside breaks its text); we escape `\` and `'`
    // the MaxCompute SQL way so every string survives the round trip.
    return `'${v.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
  }
  return String(v);
}

function isEmpty(p: Predicate): boolean {
  return (p.kind === 'and' || p.kind === 'or') && p.operands.every(isEmpty);
}

/** The `FilterPredicate` text; an empty AND/OR renders as '' (Java `NO_PREDICATE`), and empty members are dropped. */
export function renderPredicate(p: Predicate): string {
  switch (p.kind) {
    case 'compare':
      return `${renderOperand(p.left)} ${p.op} ${renderOperand(p.right)}`;
    case 'null':
      return `${renderOperand(p.operand)} ${p.negated ? 'is not null' : 'is null'}`;
    case 'in':
      return `${renderOperand(p.operand)} ${p.negated ? 'not in' : 'in'} (${p.values.map(renderOperand).join(', ')})`;
    case 'not': {
      if (isEmpty(p.operand)) return '';
      const inner = renderPredicate(p.operand);
      return p.operand.kind === 'and' || p.operand.kind === 'or' ? `not (${inner})` : `not ${inner}`;
    }
    default: {
      const parts = p.operands.filter((x) => !isEmpty(x)).map((x) => {
        const text = renderPredicate(x);
        // Java parenthesises a nested compound only when its operator differs.
        return (x.kind === 'and' || x.kind === 'or') && x.kind !== p.kind ? `(${text})` : text;
      });
      return parts.join(` ${p.kind} `);
    }
  }
}

// ---- parser (used by the emulator, and to check hand-written filters before sending) ----

type Token =
  | { t: 'ident'; v: string }
  | { t: 'word'; v: string }
  | { t: 'str'; v: string }
  | { t: 'num'; v: string }
  | { t: 'op'; v: string };

/** Longest accepted filter text and nesting depth: the parser is recursive and runs on untrusted input. */
const MAX_TEXT = 64 * 1024;
const MAX_DEPTH = 64;

function fail(message: string): never {
  throw new OdpsArgumentError(`invalid filter predicate: ${message}`, 'InvalidPredicate');
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '`') {
      let v = '';
      for (i++; ; i++) {
        if (i >= text.length) fail('unterminated `quoted` column name');
        if (text[i] === '`') {
          if (text[i + 1] === '`') { v += '`'; i++; continue; }
          i++;
          break;
        }
        v += text[i];
      }
      if (v.length === 0) fail('empty column name');
      out.push({ t: 'ident', v });
    } else if (c === "'" || c === '"') {
      let v = '';
      for (i++; ; i++) {
        if (i >= text.length) fail('unterminated string constant');
        const d = text[i]!;
        if (d === '\\') {
          if (i + 1 >= text.length) fail('unterminated string constant');
          v += text[++i];
          continue;
        }
        if (d === c) { i++; break; }
        v += d;
      }
      out.push({ t: 'str', v });
    } else if (/[0-9.+-]/.test(c) && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.test(text.slice(i, i + 400))) {
      const m = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(i, i + 400))!;
      out.push({ t: 'num', v: m[0] });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i, i + 256))!;
      out.push({ t: 'word', v: m[0] });
      i += m[0].length;
    } else {
      const two = text.slice(i, i + 2);
      if (two === '>=' || two === '<=' || two === '!=' || two === '<>') {
        out.push({ t: 'op', v: two === '<>' ? '!=' : two });
        i += 2;
      } else if ('=<>(),'.includes(c)) {
        out.push({ t: 'op', v: c });
        i++;
      } else {
        fail(`unexpected character '${c}' at offset ${i}`);
      }
    }
  }
  return out;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'is', 'null', 'like', 'true', 'false']);

class Parser {
  private at = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.at];
  }

  private word(w: string): boolean {
    const t = this.peek();
    if (t?.t === 'word' && t.v.toLowerCase() === w) { this.at++; return true; }
    return false;
  }

  private op(o: string): boolean {
    const t = this.peek();
    if (t?.t === 'op' && t.v === o) { this.at++; return true; }
    return false;
  }

  private expect(o: string): void {
    if (!this.op(o)) fail(`expected '${o}' ${this.where()}`);
  }

  private where(): string {
    const t = this.peek();
    return t ? `near '${t.v}'` : 'at the end';
  }

  parse(): Predicate {
    const p = this.or(0);
    if (this.peek()) fail(`unexpected ${this.where()}`);
    return p;
  }

  private or(depth: number): Predicate {
    if (depth > MAX_DEPTH) fail(`nested deeper than ${MAX_DEPTH} levels`);
    const parts = [this.and(depth)];
    while (this.word('or')) parts.push(this.and(depth));
    return parts.length === 1 ? parts[0]! : { kind: 'or', operands: parts };
  }

  private and(depth: number): Predicate {
    const parts = [this.not(depth)];
    while (this.word('and')) parts.push(this.not(depth));
    return parts.length === 1 ? parts[0]! : { kind: 'and', operands: parts };
  }

  private not(depth: number): Predicate {
    if (this.word('not')) {
      if (depth > MAX_DEPTH) fail(`nested deeper than ${MAX_DEPTH} levels`);
      return { kind: 'not', operand: this.not(depth + 1) };
    }
    return this.primary(depth);
  }

  private primary(depth: number): Predicate {
    const t = this.peek();
    // '(' opens a sub-predicate unless it is an IN list, which only follows an operand.
    if (t?.t === 'op' && t.v === '(') {
      this.at++;
      const p = this.or(depth + 1);
      this.expect(')');
      return p;
    }
    const left = this.operand();
    if (this.word('is')) {
      const negated = this.word('not');
      if (!this.word('null')) fail(`expected NULL after IS ${this.where()}`);
      return { kind: 'null', negated, operand: left };
    }
    const negated = this.word('not');
    if (this.word('in')) {
      this.expect('(');
      const values = [this.operand()];
      while (this.op(',')) values.push(this.operand());
      this.expect(')');
      return { kind: 'in', negated, operand: left, values };
    }
    if (negated) fail(`expected IN after NOT ${this.where()}`);
    if (this.word('like')) return { kind: 'compare', op: 'LIKE', left, right: this.operand() };
    const o = this.peek();
    if (o?.t === 'op' && ['=', '!=', '>', '<', '>=', '<='].includes(o.v)) {
      this.at++;
      return { kind: 'compare', op: o.v as ComparisonOperator, left, right: this.operand() };
    }
    fail(`expected a comparison ${this.where()}`);
  }

  private operand(): PredicateOperand {
    const t = this.peek();
    if (!t) fail('expected a column or a constant at the end');
    this.at++;
    switch (t.t) {
      case 'ident':
        return { kind: 'column', name: t.v };
      case 'str':
        return { kind: 'constant', value: t.v };
      case 'num':
        return { kind: 'constant', value: /^[+-]?\d+$/.test(t.v) && !Number.isSafeInteger(Number(t.v)) ? BigInt(t.v) : Number(t.v) };
      case 'word': {
        const w = t.v.toLowerCase();
        if (w === 'true' || w === 'false') return { kind: 'constant', value: w === 'true' };
        if (KEYWORDS.has(w)) fail(`expected a column or a constant near '${t.v}'`);
        return { kind: 'column', name: t.v };
      }
      default:
        fail(`expected a column or a constant near '${t.v}'`);
    }
  }
}

/**
 * Parses a `FilterPredicate` text (what `renderPredicate` or the Java SDK produce; bare column names and
 * double-quoted strings are accepted too). Empty text means "no filter" and gives undefined.
 */
export function parsePredicate(text: string): Predicate | undefined {
  if (typeof text !== 'string') fail('the filter must be a string');
  if (text.length > MAX_TEXT) fail(`longer than ${MAX_TEXT} characters`);
  const tokens = tokenize(text);
  if (tokens.length === 0) return undefined;
  return new Parser(tokens).parse();
}
