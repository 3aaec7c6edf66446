// Time renderings used on the wire: RFC 1123 for headers/XML, Unix seconds inside JSON schemas.

export function formatHttpDate(date: Date): string {
  return date.toUTCString();
}

export function unixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/** ISO 8601 UTC without milliseconds (`2025-01-13T08:30:00Z`), the credentials-URI `Expiration` format. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
