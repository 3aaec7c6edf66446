// Parses the expiration forms providers use: Date, ISO-8601 text, epoch seconds or milliseconds.

import { CredentialsError } from '../errors.js';

// Epoch values below this are seconds (1e11 s is the year 5138; 1e11 ms is March 1973).
const SECONDS_LIMIT = 1e11;

/**
 * Undefined for null/undefined/'' (no expiration). Throws CredentialsError naming `field` (never the
 * value) when the value is present but not a time.
 */
export function parseExpiration(value: unknown, field: string, code = 'InvalidCredentials'): Date | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  let ms: number;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === 'number') ms = value < SECONDS_LIMIT ? value * 1000 : value;
  else if (typeof value === 'string') {
    const text = value.trim();
    if (/^\d+(\.\d+)?$/.test(text)) {
      const n = Number(text);
      ms = n < SECONDS_LIMIT ? n * 1000 : n;
    } else {
      // '2025-01-01T00:00:00Z' and with milliseconds; a zone-less ISO string is read as UTC, as the
      // Alibaba Cloud services mean it.
      const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$/.test(text) ? `${text}Z` : text;
      ms = Date.parse(iso);
    }
  } else ms = Number.NaN;
  if (!Number.isFinite(ms)) throw new CredentialsError(code, `field '${field}' is not a valid expiration time`);
  return new Date(ms);
}
