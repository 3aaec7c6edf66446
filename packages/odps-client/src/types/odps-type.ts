// The parsed ODPS type tree plus the parser/formatter for ODPS type strings (tunnel.md §10.1).

/** Names of the ODPS types that take no parameters. */
export type PrimitiveKind =
  | 'boolean' | 'tinyint' | 'smallint' | 'int' | 'bigint' | 'float' | 'double' | 'string' | 'binary'
  | 'datetime' | 'date' | 'timestamp' | 'timestamp_ntz' | 'interval_day_time' | 'interval_year_month'
  | 'json' | 'void';

export type OdpsType =
  | { kind: PrimitiveKind }
  | { kind: 'decimal'; precision?: number; scale?: number }
  | { kind: 'varchar' | 'char'; length: number }
  | { kind: 'array'; element: OdpsType }
  | { kind: 'map'; key: OdpsType; value: OdpsType }
  | { kind: 'struct'; fields: { name: string; type: OdpsType }[] }
  | { kind: 'vector'; element: 'float' | 'double'; dimension: number };

/** A type string that could not be parsed; `text` is the whole input. */
export class OdpsTypeError extends Error {
  override name = 'OdpsTypeError';
  readonly code = 'OdpsTypeError';
  constructor(readonly text: string, reason: string) {
    super(`invalid ODPS type "${text.length > 200 ? text.slice(0, 200) + '…' : text}": ${reason}`);
  }
}

const PRIMITIVES = new Set<string>([
  'boolean', 'tinyint', 'smallint', 'int', 'bigint', 'float', 'double', 'string', 'binary',
  'datetime', 'date', 'timestamp', 'timestamp_ntz', 'interval_day_time', 'interval_year_month',
  'json', 'void',
]);

// Lenient upper bounds: the server may describe legacy decimals as decimal(54,18).
const MAX_DECIMAL_PRECISION = 76;
const MAX_TEXT_LENGTH = 65535;

class Parser {
  pos = 0;
  constructor(readonly text: string) {}

  fail(reason: string): never {
    throw new OdpsTypeError(this.text, `${reason} at offset ${this.pos}`);
  }
  skipWs(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }
  peek(): string | undefined {
    this.skipWs();
    return this.text[this.pos];
  }
  expect(ch: string): void {
    if (this.peek() !== ch) this.fail(`expected '${ch}'`);
    this.pos++;
  }
  word(): string {
    this.skipWs();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.pos));
    if (!m) this.fail('expected a type name');
    this.pos += m[0].length;
    return m[0];
  }
  int(): number {
    this.skipWs();
    const m = /^\d+/.exec(this.text.slice(this.pos));
    if (!m) this.fail('expected a number');
    this.pos += m[0].length;
    return Number(m[0]);
  }
  fieldName(): string {
    this.skipWs();
    if (this.text[this.pos] === '`') {
      // Back-quoted names may hold any character; `` is an escaped back quote.
      let out = '';
      this.pos++;
      for (;;) {
        if (this.pos >= this.text.length) this.fail('unterminated back-quoted name');
        const ch = this.text[this.pos++]!;
        if (ch === '`') {
          if (this.text[this.pos] === '`') { out += '`'; this.pos++; continue; }
          break;
        }
        out += ch;
      }
      if (out === '') this.fail('empty field name');
      return out;
    }
    const m = /^[^\s:<>,()`]+/.exec(this.text.slice(this.pos));
    if (!m) this.fail('expected a field name');
    this.pos += m[0].length;
    return m[0];
  }

  type(): OdpsType {
    const name = this.word().toLowerCase();
    if (PRIMITIVES.has(name)) return { kind: name as PrimitiveKind };
    switch (name) {
      case 'decimal': {
        if (this.peek() !== '(') return { kind: 'decimal' };
        this.pos++;
        const precision = this.int();
        let scale = 0;
        if (this.peek() === ',') { this.pos++; scale = this.int(); }
        this.expect(')');
        if (precision < 1 || precision > MAX_DECIMAL_PRECISION) this.fail(`decimal precision ${precision} out of range`);
        if (scale > precision) this.fail(`decimal scale ${scale} exceeds precision ${precision}`);
        return { kind: 'decimal', precision, scale };
      }
      case 'varchar':
      case 'char': {
        this.expect('(');
        const length = this.int();
        this.expect(')');
        if (length < 1 || length > MAX_TEXT_LENGTH) this.fail(`${name} length ${length} out of range`);
        return { kind: name, length };
      }
      case 'array': {
        this.expect('<');
        const element = this.type();
        this.expect('>');
        return { kind: 'array', element };
      }
      case 'map': {
        this.expect('<');
        const key = this.type();
        this.expect(',');
        const value = this.type();
        this.expect('>');
        return { kind: 'map', key, value };
      }
      case 'struct': {
        this.expect('<');
        const fields: { name: string; type: OdpsType }[] = [];
        for (;;) {
          const fname = this.fieldName();
          this.expect(':');
          fields.push({ name: fname, type: this.type() });
          const next = this.peek();
          if (next === ',') { this.pos++; continue; }
          if (next === '>') { this.pos++; break; }
          this.fail("expected ',' or '>'");
        }
        return { kind: 'struct', fields };
      }
      case 'vector': {
        // PyODPS prints vector(float,1536); accept angle brackets too.
        const open = this.peek();
        if (open !== '(' && open !== '<') this.fail("expected '(' after vector");
        this.pos++;
        const element = this.word().toLowerCase();
        if (element !== 'float' && element !== 'double') this.fail('vector element must be float or double');
        this.expect(',');
        const dimension = this.int();
        this.expect(open === '(' ? ')' : '>');
        if (dimension < 1) this.fail('vector dimension must be positive');
        return { kind: 'vector', element, dimension };
      }
      default:
        return this.fail(`unknown type "${name}"`);
    }
  }
}

/** Parses an ODPS type string (case-insensitive, whitespace tolerant). Throws OdpsTypeError. */
export function parseType(text: string): OdpsType {
  if (typeof text !== 'string') throw new OdpsTypeError(String(text), 'not a string');
  const p = new Parser(text);
  const t = p.type();
  p.skipWs();
  if (p.pos !== text.length) p.fail('unexpected trailing text');
  return t;
}

const cache = new Map<string, OdpsType>();
/** parseType with a small memo; callers must not mutate the result. */
export function parseTypeCached(text: string): OdpsType {
  let t = cache.get(text);
  if (!t) {
    t = parseType(text);
    if (cache.size > 1000) cache.clear();
    cache.set(text, t);
  }
  return t;
}

function formatFieldName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : '`' + name.replace(/`/g, '``') + '`';
}

/** Canonical lower-case text of a type, e.g. 'map<string,array<bigint>>'. */
export function formatType(t: OdpsType): string {
  switch (t.kind) {
    case 'decimal':
      return t.precision === undefined ? 'decimal' : `decimal(${t.precision},${t.scale ?? 0})`;
    case 'varchar':
    case 'char':
      return `${t.kind}(${t.length})`;
    case 'array':
      return `array<${formatType(t.element)}>`;
    case 'map':
      return `map<${formatType(t.key)},${formatType(t.value)}>`;
    case 'struct':
      return `struct<${t.fields.map((f) => `${formatFieldName(f.name)}:${formatType(f.type)}`).join(',')}>`;
    case 'vector':
      return `vector(${t.element},${t.dimension})`;
    default:
      return t.kind;
  }
}
