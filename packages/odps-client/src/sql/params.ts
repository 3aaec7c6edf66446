// Parameterized SQL: the `sql` tagged template and `:name` placeholders, each value rendered as a typed,
// escaped MaxCompute literal (MaxCompute has no server-side binding, so the client must quote).
import { OdpsArgumentError } from '../errors.js';
import { checkedDays } from '../types/calendar.js';
import { parseDecimalText } from '../types/decimal-text.js';
import { hasLoneSurrogate } from '../types/text-checks.js';
import { Timestamp } from '../types/values.js';
import { quoteIdent, quoteString } from './quote.js';

/** How values that depend on a time zone (Date, Timestamp) are written. */
export interface SqlRenderOptions {
  /**
   * IANA zone the server reads DATETIME/TIMESTAMP literals in: the project's (or `odps.sql.timezone`
   * hint's) zone. Default 'UTC' [UNVERIFIED: the service reads literals in the session zone].
   */
  timeZone?: string;
}

/** Text that is already SQL: identifiers, typed literals, `sql.raw`. Only built by this module's helpers. */
export class SqlText {
  /** @internal */
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** A statement built by the `sql` tag: literal parts plus values that are quoted only when rendered. */
export class SqlFragment {
  /** @internal */
  constructor(
    readonly strings: readonly string[],
    readonly values: readonly unknown[],
  ) {}

  /** The statement text with every value rendered as a MaxCompute literal. */
  render(options: SqlRenderOptions = {}): string {
    let out = this.strings[0] ?? '';
    for (let i = 0; i < this.values.length; i++) out += renderSqlValue(this.values[i], options) + (this.strings[i + 1] ?? '');
    return out;
  }

  toString(): string {
    return this.render();
  }
}

/**
 * Tagged template: `` sql`select * from ${sql.ident(t)} where id in (${ids}) and ds = ${ds}` ``.
 * Values become literals (strings quoted, numbers checked, arrays become `a, b, c` lists); names must be
 * marked with `sql.ident`, trusted text with `sql.raw`.
 */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): SqlFragment {
  if (strings.some((s) => s === undefined)) throw new OdpsArgumentError('sql`…`: the template has an invalid escape sequence');
  return new SqlFragment([...strings], values);
}

/** `` `a`.`b` `` from name parts (a table, `project.table`, `schema.table`); backticks are doubled. */
sql.ident = (...parts: string[]): SqlText => {
  if (parts.length === 0) throw new OdpsArgumentError('sql.ident needs at least one name');
  return new SqlText(parts.map((p) => quoteIdent(p)).join('.'));
};

/** Trusted SQL text inserted as is. Never pass user input here. */
sql.raw = (text: string): SqlText => {
  if (typeof text !== 'string') throw new OdpsArgumentError('sql.raw takes a string');
  return new SqlText(text);
};

/** A DECIMAL literal of exactly the given digits: `CAST('1.50' AS DECIMAL(3,2))`. */
sql.decimal = (value: string | number | bigint): SqlText => {
  const text = typeof value === 'string' ? value : String(value);
  const d = typeof value === 'number' && !Number.isFinite(value) ? undefined : parseDecimalText(text);
  if (!d) throw new OdpsArgumentError(`sql.decimal: ${JSON.stringify(text.slice(0, 60))} is not a decimal number`);
  const scale = d.frac.length;
  const precision = Math.max(d.int.length + scale, 1);
  if (precision > 38 || scale > 18) throw new OdpsArgumentError(`sql.decimal: ${text.slice(0, 60)} needs DECIMAL(${precision},${scale}); the limit is DECIMAL(38,18)`);
  const plain = (d.negative ? '-' : '') + (d.int || '0') + (scale ? `.${d.frac}` : '');
  return new SqlText(`CAST('${plain}' AS DECIMAL(${precision},${scale}))`);
};

/** A DATE literal from 'YYYY-MM-DD'. */
sql.date = (text: string): SqlText => {
  const m = typeof text === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(text) : null;
  if (!m || Number(m[1]) < 1 || checkedDays(Number(m[1]), Number(m[2]), Number(m[3])) === undefined) throw new OdpsArgumentError(`sql.date: ${JSON.stringify(String(text).slice(0, 40))} is not a date YYYY-MM-DD`);
  return new SqlText(`DATE '${text}'`);
};

/**
 * Replaces `:name` placeholders outside string literals, quoted names and comments with the rendered
 * values. Every placeholder needs a value and every value a placeholder (a typo fails instead of
 * silently running other SQL). `::` and `:=` are left alone.
 */
export function bindSqlParams(text: string, params: Readonly<Record<string, unknown>>, options: SqlRenderOptions = {}): string {
  const used = new Set<string>();
  let out = '';
  let last = 0;
  for (const { name, start, end } of placeholders(text)) {
    if (!Object.prototype.hasOwnProperty.call(params, name)) throw new OdpsArgumentError(`SQL placeholder :${name} has no value in params`);
    out += text.slice(last, start) + renderSqlValue(params[name], options, `:${name}`);
    last = end;
    used.add(name);
  }
  const unused = Object.keys(params).filter((k) => !used.has(k));
  if (unused.length > 0) throw new OdpsArgumentError(`params ${unused.map((k) => `:${k}`).join(', ')} not used by the SQL text`);
  return out + text.slice(last);
}

interface Placeholder {
  name: string;
  start: number;
  end: number;
}

/** Scans SQL for `:name` outside '…' / "…" (backslash escapes), `…` (doubled backticks), -- and block comments. */
function* placeholders(text: string): Generator<Placeholder> {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      i += 1;
      while (i < n && text[i] !== c) i += text[i] === '\\' ? 2 : 1;
      i += 1;
    } else if (c === '`') {
      i += 1;
      while (i < n && !(text[i] === '`' && text[i + 1] !== '`')) i += text[i] === '`' ? 2 : 1;
      i += 1;
    } else if (c === '-' && text[i + 1] === '-') {
      while (i < n && text[i] !== '\n') i += 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
    } else if (c === ':' && text[i - 1] !== ':' && /[A-Za-z_]/.test(text[i + 1] ?? '')) {
      let j = i + 1;
      while (j < n && /\w/.test(text[j]!)) j += 1;
      yield { name: text.slice(i + 1, j), start: i, end: j };
      i = j;
    } else {
      i += 1;
    }
  }
}

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

/** One value as a MaxCompute literal; `where` names the parameter in errors. */
export function renderSqlValue(value: unknown, options: SqlRenderOptions = {}, where = 'SQL parameter'): string {
  if (value === null) return 'NULL';
  if (value instanceof SqlText) return value.text;
  if (value instanceof SqlFragment) return value.render(options);
  switch (typeof value) {
    case 'boolean':
      return value ? 'TRUE' : 'FALSE';
    case 'string':
      if (hasLoneSurrogate(value)) throw new OdpsArgumentError(`${where}: string has a lone UTF-16 surrogate and cannot be sent as UTF-8`);
      return quoteString(value);
    case 'number':
      return renderNumber(value, where);
    case 'bigint':
      if (value > INT64_MAX || value < INT64_MIN) throw new OdpsArgumentError(`${where}: ${value} is outside the BIGINT range`);
      // Cast: a small integer literal would be typed INT. The minimum has no literal of its own (its
      // magnitude overflows before the negation).
      return `CAST(${value === INT64_MIN ? `${INT64_MIN + 1n} - 1` : String(value)} AS BIGINT)`;
    case 'undefined':
      throw new OdpsArgumentError(`${where} is undefined (use null for SQL NULL)`);
    default:
      break;
  }
  if (value instanceof Uint8Array) return `UNHEX('${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex').toUpperCase()}')`;
  if (value instanceof Date) return `DATETIME '${formatInstant(value.getTime(), 0, 3, options.timeZone, where)}'`;
  if (value instanceof Timestamp) {
    const ms = Number(value.epochSeconds) * 1000;
    return `TIMESTAMP '${formatInstant(ms, value.nanos, 9, options.timeZone, where)}'`;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) throw new OdpsArgumentError(`${where}: an empty list cannot be rendered (IN () is not SQL)`);
    return value
      .map((v, i) => {
        if (Array.isArray(v)) throw new OdpsArgumentError(`${where}[${i}]: nested lists are not supported`);
        return renderSqlValue(v, options, `${where}[${i}]`);
      })
      .join(', ');
  }
  const kind = (value as object)?.constructor?.name ?? typeof value;
  throw new OdpsArgumentError(`${where}: cannot render a ${kind} as SQL (use sql.ident, sql.decimal, sql.date or sql.raw)`);
}

function renderNumber(value: number, where: string): string {
  if (Number.isInteger(value)) {
    if (!Number.isSafeInteger(value)) throw new OdpsArgumentError(`${where}: ${value} is not a safe integer; pass a bigint`);
    if (Object.is(value, -0)) return `CAST('-0.0' AS DOUBLE)`;
    return value < 0 ? `(${value})` : String(value);
  }
  // A typed literal whatever the type system (1.5 is DECIMAL in some modes); NaN and ±Infinity included.
  return `CAST('${String(value)}' AS DOUBLE)`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** 'YYYY-MM-DD HH:MM:SS[.fff…]' of an instant in a zone; `digits` fraction digits when non-zero. */
function formatInstant(epochMs: number, nanos: number, digits: 3 | 9, timeZone = 'UTC', where: string): string {
  if (!Number.isFinite(epochMs)) throw new OdpsArgumentError(`${where}: invalid Date`);
  let fmt = formatters.get(timeZone);
  if (!fmt) {
    try {
      fmt = new Intl.DateTimeFormat('en-US', {
        timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', era: 'short',
      });
    } catch {
      throw new OdpsArgumentError(`unknown time zone ${JSON.stringify(timeZone)}`);
    }
    formatters.set(timeZone, fmt);
  }
  const parts = Object.fromEntries(fmt.formatToParts(new Date(epochMs)).map((p) => [p.type, p.value]));
  const year = Number(parts.year);
  if (parts.era !== 'AD' || year < 1 || year > 9999) throw new OdpsArgumentError(`${where}: year outside 0001..9999`);
  const msOfSecond = ((epochMs % 1000) + 1000) % 1000;
  const fracNanos = digits === 3 ? msOfSecond * 1_000_000 : nanos;
  const frac = fracNanos === 0 ? '' : '.' + String(fracNanos).padStart(9, '0').slice(0, digits);
  return `${String(year).padStart(4, '0')}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}${frac}`;
}
