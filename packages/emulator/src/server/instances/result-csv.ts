// Renders SQL results as the `?result` CSV bytes: header row, `\N` for NULL, RFC 4180 quoting (rest.md §4.4).
import { instantToWallTime, IntervalDayTime, IntervalYearMonth, Timestamp } from '@odps-ts/odps-client';
import type { Column } from '@odps-ts/odps-client';

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/**
 * `YYYY-MM-DD HH:MM:SS`: the wall clock in the session's (else the project's) time zone, no zone suffix
 * and no fraction. PyODPS parses this text with `strptime('%Y-%m-%d %H:%M:%S')` (`types.Datetime`), so
 * the service cannot be writing milliseconds here; they are dropped (the tunnel keeps them).
 */
function formatDatetime(instant: Date, zone: string): string {
  const d = instantToWallTime(instant.getTime(), zone);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)} ${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
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
function formatNested(v: unknown, zone: string): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof Map) return `{${[...v.entries()].map(([k, x]) => `${formatNested(k, zone)}:${formatNested(x, zone)}`).join(',')}}`;
  if (Array.isArray(v)) return `[${v.map((x) => formatNested(x, zone)).join(',')}]`;
  if (v instanceof Uint8Array || v instanceof Date || v instanceof Timestamp || typeof v !== 'object') return formatScalar(v, zone);
  if (v instanceof IntervalDayTime || v instanceof IntervalYearMonth) return v.toString();
  return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${JSON.stringify(k)}:${formatNested(x, zone)}`).join(',')}}`;
}

function formatScalar(v: unknown, zone: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Object.is(v, -0)) return '-0';
  if (typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return formatDatetime(v, zone);
  if (v instanceof Timestamp) return formatTimestamp(v);
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  if (v instanceof IntervalDayTime || v instanceof IntervalYearMonth) return v.toString();
  return formatNested(v, zone);
}

/** The text of one cell; null is `\N`. DATETIME values are written in `zone` (default UTC). */
export function formatCell(v: unknown, zone = 'UTC'): string {
  if (v === null || v === undefined) return '\\N';
  if (Array.isArray(v) || v instanceof Map) return formatNested(v, zone);
  return formatScalar(v, zone);
}

/**
 * One field as a latin1 string (one character per byte), so that BINARY values stay raw bytes and
 * text is its UTF-8 bytes; the CSV structure characters are ASCII either way.
 */
function fieldBytes(v: unknown, zone: string): string {
  if (v === null || v === undefined) return '\\N';
  const bytes = v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : Buffer.from(formatCell(v, zone), 'utf8');
  const field = bytes.toString('latin1');
  // A value that reads like the NULL token is quoted, so a reader can tell it from NULL.
  return /[",\r\n]/.test(field) || field === '\\N' ? `"${field.replace(/"/g, '""')}"` : field;
}

/**
 * The result CSV as bytes, DATETIME written in `zone`. [UNVERIFIED] how the service writes BINARY in
 * this CSV: the SDKs read the base64-decoded result as raw bytes (PyODPS decodes it latin1 under
 * `string_as_binary`, Go keeps the bytes), which this matches; resultElement sends it base64 whenever
 * it is not plain UTF-8 XML text.
 */
export function formatResultCsv(columns: Column[], rows: unknown[][], zone = 'UTC'): Buffer {
  const lines = [columns.map((c) => fieldBytes(c.name, zone)).join(',')];
  for (const row of rows) lines.push(columns.map((_, i) => fieldBytes(row[i], zone)).join(','));
  return Buffer.from(lines.join('\n') + '\n', 'latin1');
}
