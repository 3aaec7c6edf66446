// Text/JSON input → value model (design §4) for one ODPS column type: the inverse of output/value-text.ts.
import { IntervalDayTime, IntervalYearMonth, Timestamp, parseType, type OdpsType } from '@odps-ts/odps-client';
import type { BinaryEncoding } from '../output/value-text.js';

export class InputValueError extends Error {
  override name = 'InputValueError';
}

const INT_TEXT = /^[+-]?\d+$/;
const DATE_TEXT = /^\d{4}-\d{2}-\d{2}$/;
const DAY_TIME = /^(-)?(\d+) (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,9}))?$/;
const YEAR_MONTH = /^(-)?(\d+)-(\d+)$/;

function bad(type: OdpsType, v: unknown, why = ''): never {
  const shown = typeof v === 'string' ? JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v) : typeof v === 'object' ? JSON.stringify(v)?.slice(0, 40) : String(v);
  throw new InputValueError(`cannot read ${shown} as ${type.kind}${why ? `: ${why}` : ''}`);
}

function integer(type: OdpsType, v: unknown): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && INT_TEXT.test(v.trim()) ? Number(v.trim()) : NaN;
  if (!Number.isSafeInteger(n)) bad(type, v);
  return n;
}

function floating(type: OdpsType, v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string' || v.trim() === '') return bad(type, v);
  const n = Number(v.trim());
  if (Number.isNaN(n) && v.trim() !== 'NaN') bad(type, v);
  return n;
}

function bytes(type: OdpsType, v: unknown, enc: BinaryEncoding): Uint8Array {
  if (typeof v !== 'string') return bad(type, v);
  if (enc === 'hex' ? !/^(?:[0-9a-fA-F]{2})*$/.test(v) : !/^[A-Za-z0-9+/\-_]*={0,2}$/.test(v)) bad(type, v, `not ${enc}`);
  return new Uint8Array(Buffer.from(v, enc));
}

function parseJsonText(type: OdpsType, v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return bad(type, v, 'not JSON');
  }
}

/** A value from JSON input (or CSV cell text) for a column of `type`; null/undefined stay null. */
export function parseValue(v: unknown, type: OdpsType, binary: BinaryEncoding = 'base64'): unknown {
  if (v === null || v === undefined) return null;
  switch (type.kind) {
    case 'boolean':
      if (typeof v === 'boolean') return v;
      if (typeof v === 'string' && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === 'true';
      return bad(type, v);
    case 'tinyint':
    case 'smallint':
    case 'int':
      return integer(type, v);
    case 'bigint':
      if (typeof v === 'number') return Number.isSafeInteger(v) ? BigInt(v) : bad(type, v, 'not a safe integer: quote it');
      if (typeof v === 'string' && INT_TEXT.test(v.trim())) return BigInt(v.trim());
      return bad(type, v);
    case 'float':
    case 'double':
      return floating(type, v);
    case 'decimal':
      if (typeof v === 'number' || typeof v === 'string') return String(v).trim();
      return bad(type, v);
    case 'string':
    case 'varchar':
    case 'char':
      return typeof v === 'string' ? v : bad(type, v);
    case 'json':
      return typeof v === 'string' ? v : JSON.stringify(v);
    case 'binary':
      return bytes(type, v, binary);
    case 'date':
      if (typeof v === 'string' && DATE_TEXT.test(v.trim())) return v.trim();
      return bad(type, v);
    case 'datetime':
      if (typeof v === 'number') return new Date(v);
      if (typeof v !== 'string') return bad(type, v);
      try {
        // Timestamp.parse reads 'YYYY-MM-DD HH:MM:SS[.f]' as UTC and ISO 8601 with an offset.
        return Timestamp.parse(v).toDate();
      } catch {
        return bad(type, v);
      }
    case 'timestamp':
    case 'timestamp_ntz':
      if (typeof v !== 'string') return bad(type, v);
      try {
        return Timestamp.parse(v);
      } catch {
        return bad(type, v);
      }
    case 'interval_day_time': {
      const m = typeof v === 'string' ? DAY_TIME.exec(v.trim()) : null;
      if (!m) return bad(type, v);
      const secs = BigInt(m[2] as string) * 86400n + BigInt(Number(m[3]) * 3600 + Number(m[4]) * 60 + Number(m[5]));
      const nanos = m[6] ? Number(m[6].padEnd(9, '0')) : 0;
      const total = secs * 1_000_000_000n + BigInt(nanos);
      const signed = m[1] ? -total : total;
      const s = signed / 1_000_000_000n - (signed % 1_000_000_000n < 0n ? 1n : 0n);
      return new IntervalDayTime(s, Number(signed - s * 1_000_000_000n));
    }
    case 'interval_year_month': {
      if (typeof v === 'number') return new IntervalYearMonth(integer(type, v));
      const m = typeof v === 'string' ? YEAR_MONTH.exec(v.trim()) : null;
      if (!m) return bad(type, v);
      const months = Number(m[2]) * 12 + Number(m[3]);
      return new IntervalYearMonth(m[1] ? -months : months);
    }
    case 'void':
      return null;
    case 'vector':
    case 'array': {
      const arr = parseJsonText(type, v);
      if (!Array.isArray(arr)) return bad(type, v, 'not a JSON array');
      const element: OdpsType = type.kind === 'vector' ? { kind: type.element } : type.element;
      return arr.map((x) => parseValue(x, element, binary));
    }
    case 'map': {
      const obj = parseJsonText(type, v);
      if (Array.isArray(obj)) return new Map(obj.map((pair) => (Array.isArray(pair) ? [parseValue(pair[0], type.key, binary), parseValue(pair[1], type.value, binary)] : bad(type, v, 'pairs must be [key, value]'))));
      if (typeof obj !== 'object' || obj === null) return bad(type, v, 'not a JSON object');
      return new Map(Object.entries(obj).map(([k, x]) => [parseValue(k, type.key, binary), parseValue(x, type.value, binary)]));
    }
    case 'struct': {
      const obj = parseJsonText(type, v);
      if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return bad(type, v, 'not a JSON object');
      const rec = obj as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const f of type.fields) out[f.name] = parseValue(rec[f.name], f.type, binary);
      return out;
    }
  }
}

/** CSV cell → value: complex types are JSON text, everything else goes through parseValue as a string. */
export function parseCell(text: string | null, type: OdpsType, binary: BinaryEncoding = 'base64'): unknown {
  if (text === null) return null;
  if (type.kind === 'string' || type.kind === 'varchar' || type.kind === 'char' || type.kind === 'json') return text;
  // A quoted empty field is empty bytes for BINARY; for other types spreadsheets write it for "no value".
  if (text === '') return type.kind === 'binary' ? new Uint8Array(0) : null;
  return parseValue(text, type, binary);
}

export function typeOf(text: string): OdpsType {
  return parseType(text);
}
