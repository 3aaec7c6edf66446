// MaxCompute built-in functions that DuckDB spells or behaves differently: renames and argument-level rewrites.
import { semanticError } from '../sql-error.js';
import type { SourcePos } from '../sql-error.js';
import { quoteIdent, quoteLiteral } from '../physical-names.js';

const RENAMES: Record<string, string> = {
  nvl: 'coalesce',
  collect_list: 'list',
  tolower: 'lower',
  toupper: 'upper',
  size: 'len',
  split: 'string_split_regex',
  get_json_object: 'json_extract_string',
  array_contains: 'list_contains',
  sort_array: 'list_sort',
  explode: 'unnest',
  rand: 'random',
  lengthb: 'strlen',
  array: 'list_value',
  datetrunc: 'date_trunc',
  sequence: 'generate_series',
};

const UNITS: Record<string, string> = {
  yyyy: 'year', year: 'year', mm: 'month', mon: 'month', month: 'month', dd: 'day', day: 'day',
  hh: 'hour', hour: 'hour', mi: 'minute', minute: 'minute', ss: 'second', second: 'second',
  ff3: 'millisecond', millisecond: 'millisecond', q: 'quarter', quarter: 'quarter', week: 'week', iw: 'week',
};

const INTERVAL_FN: Record<string, string> = {
  year: 'to_years', month: 'to_months', day: 'to_days', hour: 'to_hours', minute: 'to_minutes',
  second: 'to_seconds', millisecond: 'to_milliseconds', quarter: 'to_months', week: 'to_weeks',
};

function unit(lit: string | undefined, pos: SourcePos, fn: string): string {
  const u = lit === undefined ? undefined : UNITS[lit.toLowerCase()];
  if (!u) throw semanticError(pos, `${fn}: unsupported or non-literal date part ${lit === undefined ? '' : `'${lit}'`}`);
  return u;
}

/** ODPS date format ('yyyy-mm-dd hh:mi:ss') -> strftime/strptime format. */
export function odpsFormat(fmt: string): string {
  return fmt
    .replace(/%/g, '%%')
    .replace(/yyyy/gi, '%Y')
    .replace(/mm/gi, '%m')
    .replace(/dd/gi, '%d')
    .replace(/hh/gi, '%H')
    .replace(/mi/gi, '%M')
    .replace(/ss/gi, '%S')
    .replace(/ff3/gi, '%g');
}

function arity(name: string, args: string[], min: number, max: number, pos: SourcePos): void {
  if (args.length < min || args.length > max) {
    throw semanticError(pos, `function ${name.toUpperCase()} expects ${min === max ? min : `${min}..${max}`} arguments, got ${args.length}`);
  }
}

/**
 * DuckDB SQL for a call of `name` with already translated `args` (`literal[i]` is the string value
 * when argument i is a single string literal), or undefined to emit the call unchanged.
 */
export function rewriteFunction(name: string, args: string[], literal: (string | undefined)[], pos: SourcePos): string | undefined {
  const a = args.length === 1 && args[0] === '' ? [] : args;
  switch (name) {
    case 'getdate':
    case 'now':
      return 'CAST(CAST(now() AS TIMESTAMP) AS TIMESTAMP_MS)';
    case 'current_timestamp':
      return 'CAST(CAST(now() AS TIMESTAMP) AS TIMESTAMP_NS)';
    case 'wm_concat':
      arity(name, a, 2, 2, pos);
      return `string_agg(${a[1]}, ${a[0]})`;
    case 'collect_set':
      arity(name, a, 1, 1, pos);
      return `list(DISTINCT ${a[0]})`;
    case 'isnull':
      arity(name, a, 1, 1, pos);
      return `(${a[0]} IS NULL)`;
    case 'isnotnull':
      arity(name, a, 1, 1, pos);
      return `(${a[0]} IS NOT NULL)`;
    case 'concat':
      // ODPS CONCAT is NULL when any argument is NULL (DuckDB's concat skips NULLs; || does not).
      return a.length === 0
        ? "''"
        : `(${a.map((x) => (/^null$/i.test(x) ? 'CAST(NULL AS VARCHAR)' : x)).join(' || ')})`;
    case 'decode': {
      if (a.length < 3) throw semanticError(pos, 'DECODE expects at least 3 arguments');
      let sql = `CASE ${a[0]}`;
      let k = 1;
      for (; k + 1 < a.length; k += 2) sql += ` WHEN ${a[k]} THEN ${a[k + 1]}`;
      if (k < a.length) sql += ` ELSE ${a[k]}`;
      return sql + ' END';
    }
    case 'to_char': {
      arity(name, a, 1, 2, pos);
      if (a.length === 1) return `CAST(${a[0]} AS VARCHAR)`;
      const fmt = literal[1];
      if (fmt === undefined) throw semanticError(pos, 'TO_CHAR: the format must be a string literal');
      return `strftime(CAST(${a[0]} AS TIMESTAMP), ${quoteLiteral(odpsFormat(fmt))})`;
    }
    case 'to_date': {
      arity(name, a, 1, 2, pos);
      if (a.length === 1) return `CAST(${a[0]} AS DATE)`;
      const fmt = literal[1];
      if (fmt === undefined) throw semanticError(pos, 'TO_DATE: the format must be a string literal');
      return `CAST(strptime(${a[0]}, ${quoteLiteral(odpsFormat(fmt))}) AS TIMESTAMP_MS)`;
    }
    case 'dateadd': {
      arity(name, a, 3, 3, pos);
      const u = unit(literal[2], pos, 'DATEADD');
      const n = u === 'quarter' ? `CAST(${a[1]} AS INTEGER) * 3` : `CAST(${a[1]} AS BIGINT)`;
      return `CAST(CAST(${a[0]} AS TIMESTAMP) + ${INTERVAL_FN[u]}(${u === 'year' || u === 'month' || u === 'quarter' || u === 'day' || u === 'week' ? `CAST(${n} AS INTEGER)` : n}) AS TIMESTAMP_MS)`;
    }
    case 'datediff': {
      arity(name, a, 2, 3, pos);
      if (a.length === 2) return `date_diff('day', CAST(${a[1]} AS DATE), CAST(${a[0]} AS DATE))`;
      const u = unit(literal[2], pos, 'DATEDIFF');
      return `date_diff(${quoteLiteral(u)}, CAST(${a[1]} AS TIMESTAMP), CAST(${a[0]} AS TIMESTAMP))`;
    }
    case 'datetrunc':
    case 'date_trunc': {
      arity(name, a, 2, 2, pos);
      if (name === 'date_trunc') return undefined;
      const u = unit(literal[1], pos, 'DATETRUNC');
      return `CAST(date_trunc(${quoteLiteral(u)}, CAST(${a[0]} AS TIMESTAMP)) AS TIMESTAMP_MS)`;
    }
    case 'from_unixtime':
      arity(name, a, 1, 1, pos);
      return `CAST(CAST(to_timestamp(${a[0]}) AS TIMESTAMP) AS TIMESTAMP_MS)`;
    case 'unix_timestamp':
      arity(name, a, 0, 1, pos);
      return a.length === 0 ? 'CAST(epoch(now()) AS BIGINT)' : `CAST(epoch(CAST(${a[0]} AS TIMESTAMP)) AS BIGINT)`;
    case 'regexp_replace':
      arity(name, a, 3, 4, pos);
      // ODPS replaces every match by default (occurrence 0); DuckDB needs the 'g' flag for that.
      return a.length === 3 || a[3] === '0'
        ? `regexp_replace(${a[0]}, ${a[1]}, ${a[2]}, 'g')`
        : `regexp_replace(${a[0]}, ${a[1]}, ${a[2]})`;
    case 'map':
      if (a.length % 2 !== 0) throw semanticError(pos, 'MAP expects key/value pairs');
      return `map([${a.filter((_, i) => i % 2 === 0).join(', ')}], [${a.filter((_, i) => i % 2 === 1).join(', ')}])`;
    case 'named_struct': {
      if (a.length % 2 !== 0) throw semanticError(pos, 'NAMED_STRUCT expects name/value pairs');
      const fields: string[] = [];
      for (let i = 0; i < a.length; i += 2) {
        const n = literal[i];
        if (n === undefined) throw semanticError(pos, 'NAMED_STRUCT field names must be string literals');
        fields.push(`${quoteIdent(n)} := ${a[i + 1]}`);
      }
      return `struct_pack(${fields.join(', ')})`;
    }
    default: {
      const renamed = RENAMES[name];
      return renamed === undefined ? undefined : `${renamed}(${a.join(', ')})`;
    }
  }
}
