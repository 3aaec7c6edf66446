// Renders SQL results as the `?result` CSV bytes: header row, `\N` for NULL, RFC 4180 quoting (rest.md §4.4).
import { IntervalDayTime, IntervalYearMonth, Timestamp } from '@odps-ts/odps-client';
import type { Column } from '@odps-ts/odps-client';

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** `YYYY-MM-DD HH:MM:SS[.fff]` in UTC (the emulator's project time zone is UTC). */
function formatDatetime(d: Date): string {
  const base = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)} ${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
  const ms = d.getUTCMilliseconds();
  return ms === 0 ? base : `${base}.${pad(ms, 3)}`;
}

/** `YYYY-MM-DD HH:MM:SS[.fraction]`, fraction trimmed of trailing zeros, as the console prints it. */
function formatTimestamp(t: Timestamp): string {
  const iso = t.toString(); // YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ
  const m = /^(.*)T(\d{2}:\d{2}:\d{2})\.(\d{9})Z$/.exec(iso);
  if (!m) return iso;
  const frac = (m[3] as string).replace(/0+$/, '');
  return `${m[1]} ${m[2]}${frac ? `.${frac}` : ''}`;
}

/** Nested values (array/map/struct elements) in a JSON-like text. */
function formatNested(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof Map) return `{${[...v.entries()].map(([k, x]) => `${formatNested(k)}:${formatNested(x)}`).join(',')}}`;
  if (Array.isArray(v)) return `[${v.map(formatNested).join(',')}]`;
  if (v instanceof Uint8Array || v instanceof Date || v instanceof Timestamp || typeof v !== 'object') return formatScalar(v);
  if (v instanceof IntervalDayTime || v instanceof IntervalYearMonth) return v.toString();
  return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${JSON.stringify(k)}:${formatNested(x)}`).join(',')}}`;
}

function formatScalar(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Object.is(v, -0)) return '-0';
  if (typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return formatDatetime(v);
  if (v instanceof Timestamp) return formatTimestamp(v);
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  if (v instanceof IntervalDayTime || v instanceof IntervalYearMonth) return v.toString();
  return formatNested(v);
}

/** The text of one cell; null is `\N`. */
export function formatCell(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (Array.isArray(v) || v instanceof Map) return formatNested(v);
  return formatScalar(v);
}

/**
 * One field as a latin1 string (one character per byte), so that BINARY values stay raw bytes and
 * text is its UTF-8 bytes; the CSV structure characters are ASCII either way.
 */
function fieldBytes(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  const bytes = v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : Buffer.from(formatCell(v), 'utf8');
  const field = bytes.toString('latin1');
  // A value that reads like the NULL token is quoted, so a reader can tell it from NULL.
  return /[",\r\n]/.test(field) || field === '\\N' ? `"${field.replace(/"/g, '""')}"` : field;
}

/**
 * The result CSV as bytes. [UNVERIFIED] how the service writes BINARY in this CSV: the SDKs read the
 * base64-decoded result as raw bytes (PyODPS decodes it latin1 under `string_as_binary`, Go keeps the
 * bytes), which this matches; resultElement sends it base64 whenever it is not plain UTF-8 XML text.
 */
export function formatResultCsv(columns: Column[], rows: unknown[][]): Buffer {
  const lines = [columns.map((c) => fieldBytes(c.name)).join(',')];
  for (const row of rows) lines.push(columns.map((_, i) => fieldBytes(row[i])).join(','));
  return Buffer.from(lines.join('\n') + '\n', 'latin1');
}
