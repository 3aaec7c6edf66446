// Partition spec text <-> key/value pairs: `ds='20250101',hh='08'`, `ds=20250101/hh=08` (quotes optional).
import { EmulatorHttpError } from '../errors.js';

/** Parse a spec; keys keep their order. Throws 400 on malformed text. */
export function parsePartitionSpec(text: string): Record<string, string> {
  const spec: Record<string, string> = {};
  const trimmed = text.trim();
  if (trimmed === '') return spec;
  // Split on , or / outside quotes.
  const parts: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (const ch of trimmed) {
    if (quote) {
      if (ch === quote) quote = undefined;
      current += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      current += ch;
    } else if (ch === ',' || ch === '/') {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new EmulatorHttpError(400, 'InvalidArgument', `ODPS-0420411:Invalid argument - malformed partition spec '${text}'.`);
    const key = part.slice(0, eq).trim().replace(/^`|`$/g, '').toLowerCase();
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && (value[0] === "'" || value[0] === '"') && value[value.length - 1] === value[0]) value = value.slice(1, -1);
    spec[key] = value;
  }
  return spec;
}

export function formatPartitionSpec(spec: Record<string, string>): string {
  return Object.entries(spec).map(([k, v]) => `${k}='${v}'`).join(',');
}

/** `ds=20250101/hh=08`, the partition name form. */
export function partitionName(spec: Record<string, string>): string {
  return Object.entries(spec).map(([k, v]) => `${k}=${v}`).join('/');
}

/** True when every key of `filter` is in `spec` with the same value (a prefix/sub-spec filter). */
export function specMatches(spec: Record<string, string>, filter: Record<string, string>): boolean {
  return Object.entries(filter).every(([k, v]) => Object.entries(spec).some(([sk, sv]) => sk.toLowerCase() === k && sv === v));
}
