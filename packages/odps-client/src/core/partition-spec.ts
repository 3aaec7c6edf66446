// Partition specs: parsing "ds='2025',hh=08", "ds=2025/hh=08" or objects, and rendering them for REST/SQL.
import { InvalidPartitionSpecError } from '../errors.js';
import { quoteIdent, quoteString } from '../sql/quote.js';
import { partitionKeyProblem, partitionValueProblem } from './partition-rules.js';

/** Anything a partition argument accepts: `"ds='2025',hh=08"`, `{ ds: '2025', hh: 8 }` or a PartitionSpec. */
export type PartitionSpecInput = string | Record<string, string | number | bigint> | PartitionSpec;

// Only `fromServer` holds this, so user input always goes through the value rules.
const TRUSTED: unique symbol = Symbol('trusted partition spec');

/**
 * A partition spec, PyODPS `PartitionSpec`: ordered key/value pairs, validated on construction
 * by `partitionKeyProblem` / `partitionValueProblem` (keys are identifiers; values are non-empty, at
 * most `MAX_PARTITION_VALUE_BYTES` bytes, without control characters, `/ = ,` or surrounding whitespace), so a bad spec fails with `InvalidPartitionSpecError` before any
 * request. Keys compare case-insensitively, values exactly.
 */
export class PartitionSpec {
  /** Key/value pairs in partition-key order. */
  readonly entries: ReadonlyArray<readonly [string, string]>;
  /** Set on a spec the server reported that breaks the rules: it can be shown, not sent. */
  private readonly problem: string | undefined;

  /**
   * A spec from key/value pairs in partition-key order (PyODPS `PartitionSpec`).
   * @throws InvalidPartitionSpecError when the list is empty, a key repeats, or a key or value breaks
   *   the partition naming rules.
   */
  constructor(entries: Iterable<readonly [string, string]>);
  /** @internal */
  constructor(entries: Iterable<readonly [string, string]>, trust: typeof TRUSTED);
  constructor(entries: Iterable<readonly [string, string]>, trust?: typeof TRUSTED) {
    const list: [string, string][] = [];
    const seen = new Set<string>();
    let problem: string | undefined;
    for (const [k, v] of entries) {
      problem ??= entryProblem(k, v, seen);
      if (problem && trust !== TRUSTED) throw new InvalidPartitionSpecError(problem);
      seen.add(k.toLowerCase());
      list.push([k, v]);
    }
    if (list.length === 0) throw new InvalidPartitionSpecError('empty partition spec');
    this.entries = list;
    this.problem = problem;
  }

  /**
   * A spec as the server reported it (list/get answers), kept even when a stored partition breaks
   * today's rules, so one bad partition cannot make listing the table fail.
   */
  static fromServer(entries: Iterable<readonly [string, string]>): PartitionSpec {
    return new PartitionSpec(entries, TRUSTED);
  }

  /** Throws InvalidPartitionSpecError when this spec may not be sent in a request. */
  assertSendable(): this {
    if (this.problem) throw new InvalidPartitionSpecError(this.problem);
    return this;
  }

  /**
   * A spec from any accepted input: text is parsed, objects are taken in property order (numbers and
   * bigints as their decimal text), a PartitionSpec is returned as is if it may be sent.
   * @throws InvalidPartitionSpecError for anything else or an invalid spec.
   */
  static from(input: PartitionSpecInput): PartitionSpec {
    if (input instanceof PartitionSpec) return input.assertSendable();
    if (typeof input === 'string') return PartitionSpec.parse(input);
    if (input && typeof input === 'object') return new PartitionSpec(Object.entries(input).map(([k, v]) => [k, String(v)] as const));
    throw new InvalidPartitionSpecError(`partition spec must be a string or an object, got ${typeof input}`);
  }

  /** Parse `ds='2025',hh=08`, `ds=2025/hh=08` (quotes optional, `'`/`"` with backslash escapes). */
  static parse(text: string): PartitionSpec {
    const entries: [string, string][] = [];
    let i = 0;
    const n = text.length;
    const fail = (why: string): never => {
      throw new InvalidPartitionSpecError(`cannot parse partition spec ${JSON.stringify(text)}: ${why}`);
    };
    const skipSpace = (): void => {
      while (i < n && /\s/.test(text[i] as string)) i++;
    };
    while (i < n) {
      skipSpace();
      const eq = text.indexOf('=', i);
      if (eq < 0) fail(`missing '=' after position ${i}`);
      const key = text.slice(i, eq).trim();
      if (partitionKeyProblem(key)) fail(`invalid key ${JSON.stringify(key)}`);
      i = eq + 1;
      skipSpace();
      let value = '';
      const q = text[i];
      if (q === "'" || q === '"') {
        i++;
        let closed = false;
        while (i < n) {
          const c = text[i] as string;
          if (c === '\\') {
            // Only the quotes and backslash escape: `\n` and the like would mean control characters.
            const next = text[i + 1] ?? '';
            if (next === '' || !`'"\\`.includes(next)) fail(`unsupported escape '\\${next}' in value of ${key}`);
            value += next;
            i += 2;
          } else if (c === q) {
            i++;
            closed = true;
            break;
          } else {
            value += c;
            i++;
          }
        }
        if (!closed) fail(`unterminated quote in value of ${key}`);
        skipSpace();
      } else {
        const start = i;
        while (i < n && text[i] !== ',' && text[i] !== '/') i++;
        value = text.slice(start, i).trim();
        if (/['"=]/.test(value)) fail(`unexpected character in value of ${key}`);
      }
      entries.push([key, value]);
      if (i < n) {
        if (text[i] !== ',' && text[i] !== '/') fail(`expected ',' or '/' at position ${i}`);
        i++;
        if (text.slice(i).trim() === '') fail('trailing separator');
      }
    }
    return new PartitionSpec(entries);
  }

  /** Partition key names in order. */
  get keys(): string[] {
    return this.entries.map(([k]) => k);
  }

  /** The value of `key` (case-insensitive), or undefined when the spec does not have it. */
  get(key: string): string | undefined {
    return this.entries.find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
  }

  /** REST form used in `partition=`: `ds='2025',hh='08'`. */
  toString(): string {
    return this.entries.map(([k, v]) => `${k}=${quoteString(v)}`).join(',');
  }

  /** SQL form for `PARTITION (...)`: `` `ds`='2025', `hh`='08' ``. */
  toSql(): string {
    return this.entries.map(([k, v]) => `${quoteIdent(k, 'partition key')}=${quoteString(v)}`).join(', ');
  }

  /** Path form: `ds=2025/hh=08`. */
  toPath(): string {
    return this.entries.map(([k, v]) => `${k}=${v}`).join('/');
  }

  /** `{ key: value }` in key order. */
  toObject(): Record<string, string> {
    return Object.fromEntries(this.entries);
  }

  /**
   * Same keys (any case) with the same values, in any order.
   * @throws InvalidPartitionSpecError when `other` is not a valid spec.
   */
  equals(other: PartitionSpecInput): boolean {
    const o = other instanceof PartitionSpec ? other : PartitionSpec.from(other);
    return o.entries.length === this.entries.length && this.entries.every(([k, v]) => o.get(k) === v);
  }
}

function entryProblem(key: string, value: string, seen: ReadonlySet<string>): string | undefined {
  const keyProblem = partitionKeyProblem(key);
  if (keyProblem) return `invalid partition key ${JSON.stringify(key)}: ${keyProblem}`;
  if (seen.has(key.toLowerCase())) return `partition key ${key} given twice`;
  const valueProblem = partitionValueProblem(value);
  if (valueProblem) return `partition value of ${key} ${valueProblem}: ${preview(value)}`;
  return undefined;
}

/** A value as shown in messages: JSON-quoted (control characters visible), long ones cut. */
function preview(value: string): string {
  return value.length > 60 ? `${JSON.stringify(value.slice(0, 60))}… (${value.length} chars)` : JSON.stringify(value);
}
