// Parses the expiration forms providers use (Date, ISO-8601, HTTP date, epoch s/ms) and refuses stale ones.

import { CredentialsError } from '../errors.js';
import type { ProvidedCredentials } from './provided-credentials.js';

// Epoch values below this are seconds (1e11 s is the year 5138; 1e11 ms is March 1973).
const SECONDS_LIMIT = 1e11;
// ISO-8601 date-time with 'T' or a space, optional fraction and zone. Anything looser goes to V8's
// Date.parse, which reads free text like 'March 7' as a date in 2001.
const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})?$/i;
const HTTP_DATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

function parseIso(m: RegExpExecArray): number {
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), frac ? Math.floor(Number(frac) * 1000) : 0);
  // Date.UTC rolls 30 February over to 2 March; a field out of range is a broken value, not a date.
  const back = new Date(ms);
  if (back.getUTCMonth() !== Number(mo) - 1 || back.getUTCDate() !== Number(d) || back.getUTCHours() !== Number(h) || back.getUTCMinutes() !== Number(mi) || back.getUTCSeconds() !== Number(s)) {
    return Number.NaN;
  }
  // A zone-less time is read as UTC, as the Alibaba Cloud services mean it.
  if (!zone || zone.toUpperCase() === 'Z') return ms;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offsetMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
  return ms - sign * offsetMin * 60_000;
}

function toMillis(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value < SECONDS_LIMIT ? value * 1000 : value;
  if (typeof value !== 'string') return Number.NaN;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) {
    const n = Number(text);
    return n < SECONDS_LIMIT ? n * 1000 : n;
  }
  const iso = ISO.exec(text);
  if (iso) return parseIso(iso);
  if (HTTP_DATE.test(text)) return Date.parse(text);
  return Number.NaN;
}

/**
 * Undefined for null/undefined/'' (no expiration). Throws CredentialsError "`where`: field '`field`'
 * is not a valid expiration time" (never quoting the value) when it is present but not a time.
 */
export function parseExpiration(value: unknown, where: string, field: string, code = 'InvalidCredentials'): Date | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  // new Date() turns anything beyond ±8.64e15 ms into an Invalid Date: check the result, not the input.
  const date = new Date(toMillis(value));
  if (!Number.isFinite(date.getTime())) throw new CredentialsError(code, `${where}: field '${field}' is not a valid expiration time`);
  return date;
}

/** Credentials that are already expired would fail every request; refuse them at the source. */
export function refuseExpired(provided: ProvidedCredentials, now: number): void {
  const exp = provided.credentials.expiration;
  if (exp !== undefined && exp.getTime() <= now) {
    throw new CredentialsError(
      'CredentialsExpired',
      `${provided.source} returned credentials that expired at ${exp.toISOString()} (local clock ${new Date(now).toISOString()})`,
    );
  }
}
