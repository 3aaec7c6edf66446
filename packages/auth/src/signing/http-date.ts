// RFC 1123 GMT dates for the Date header, and the UTC yyyymmdd used in the v4 scope.

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** `Mon, 13 Jan 2025 08:30:00 GMT` — English names, two-digit day, always GMT. */
export function formatHttpDate(d: Date): string {
  const t = d.getTime();
  if (Number.isNaN(t)) throw new RangeError('formatHttpDate: invalid Date');
  return (
    `${DAYS[d.getUTCDay()]}, ${pad2(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
    `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} GMT`
  );
}

/** UTC `yyyymmdd` of an instant (v4 credential scope and key derivation). */
export function utcDateStamp(d: Date): string {
  const t = d.getTime();
  if (Number.isNaN(t)) throw new RangeError('v4 signing: invalid scope date');
  return `${d.getUTCFullYear()}${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())}`;
}

/** Parses an HTTP Date header value; undefined when it is not a date. */
export function parseHttpDate(value: string): Date | undefined {
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : new Date(t);
}
