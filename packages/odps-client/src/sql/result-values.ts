// Typing `?result` CSV text by the ResultDescriptor's column types, into the row value model (design §4).
import { parseType, Timestamp, wallTimeToInstant, type OdpsType } from '../types/index.js';

export interface CastOptions {
  /**
   * Zone the server wrote DATETIME text in (the session's `odps.sql.timezone`, else the project's);
   * UTC when absent.
   */
  timeZone?: string;
}

/**
 * DATETIME text (`YYYY-MM-DD HH:MM:SS[.fff]`, no zone) read as wall time in `zone`. PyODPS reads it as
 * a naive local datetime, the Java SDK with the project's `odps.sql.timezone`.
 */
function parseDatetimeText(text: string, zone: string | undefined): unknown {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?)/.exec(text);
  const wall = m ? new Date(`${m[1]}T${m[2]}Z`) : new Date(Number.NaN);
  if (Number.isNaN(wall.getTime())) return text;
  return zone ? new Date(wallTimeToInstant(wall.getTime(), zone)) : wall;
}

/** Convert one CSV field to the value model; text the type cannot hold is returned unchanged. */
export function castResultValue(text: string | null, type: OdpsType, options: CastOptions = {}): unknown {
  if (text === null) return null;
  switch (type.kind) {
    case 'boolean':
      return text.toLowerCase() === 'true' ? true : text.toLowerCase() === 'false' ? false : text;
    case 'tinyint':
    case 'smallint':
    case 'int':
    case 'float':
    case 'double': {
      if (/^-?nan$/i.test(text)) return Number.NaN;
      if (/^-?inf(inity)?$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
      const n = Number(text);
      return text.trim() !== '' && Number.isFinite(n) ? n : text;
    }
    case 'bigint':
      return /^-?\d+$/.test(text.trim()) ? BigInt(text.trim()) : text;
    case 'datetime':
      return parseDatetimeText(text, options.timeZone);
    case 'timestamp':
    case 'timestamp_ntz':
      try {
        return Timestamp.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(text) ? text : `${text}Z`);
      } catch {
        return text;
      }
    case 'binary':
      return new Uint8Array(Buffer.from(text, 'utf8'));
    case 'array':
    case 'map':
    case 'struct':
    case 'vector':
      return castComplex(text, type, options);
    default:
      // decimal, string/varchar/char/json, date ('YYYY-MM-DD'), intervals: kept as the server's text.
      return text;
  }
}

function castComplex(text: string, type: OdpsType, options: CastOptions): unknown {
  // [UNVERIFIED] complex values arrive as JSON-like text; when it is valid JSON we build the value model.
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return text;
  }
  return fromJson(v, type, options);
}

function fromJson(v: unknown, type: OdpsType, options: CastOptions): unknown {
  if (v === null) return null;
  switch (type.kind) {
    case 'array':
      return Array.isArray(v) ? v.map((x) => fromJson(x, type.element, options)) : v;
    case 'vector':
      return v;
    case 'map':
      if (v && typeof v === 'object' && !Array.isArray(v)) {
        return new Map(Object.entries(v).map(([k, x]) => [castResultValue(k, type.key, options), fromJson(x, type.value, options)]));
      }
      return v;
    case 'struct':
      if (v && typeof v === 'object' && !Array.isArray(v)) {
        const o = v as Record<string, unknown>;
        return Object.fromEntries(type.fields.map((f) => [f.name, fromJson(o[f.name] ?? null, f.type, options)]));
      }
      return v;
    default:
      return castResultValue(typeof v === 'string' ? v : JSON.stringify(v), type, options);
  }
}

/** Parse type texts once per result; unknown types fall back to string. */
export function resultTypes(typeTexts: string[]): OdpsType[] {
  return typeTexts.map((t) => {
    try {
      return parseType(t);
    } catch {
      return { kind: 'string' } as OdpsType;
    }
  });
}
