// Value classes for ODPS types without a faithful JS primitive: Timestamp, IntervalDayTime, IntervalYearMonth.
import { checkedDays, civilFromDays, formatYear } from './calendar.js';

const NANOS_PER_SECOND = 1_000_000_000;
const SECONDS_PER_DAY = 86400n;

function checkNanos(nanos: number, what: string): number {
  if (!Number.isInteger(nanos) || nanos < 0 || nanos >= NANOS_PER_SECOND) {
    throw new RangeError(`${what}: nanos must be an integer in [0, 1e9)`);
  }
  return nanos;
}

function toBigIntSeconds(v: bigint | number, what: string): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  throw new TypeError(`${what}: seconds must be a bigint`);
}

function pad(n: number | bigint, width: number): string {
  return String(n).padStart(width, '0');
}

/** Floor division for bigint (BigInt `/` truncates toward zero). */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}

const TS_RE =
  /^([+-]?\d{4,6})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * An instant (TIMESTAMP) or UTC-read wall clock (TIMESTAMP_NTZ) with nanosecond precision.
 * Seconds are the floor and nanos are in [0, 1e9) (Java convention).
 */
export class Timestamp {
  readonly epochSeconds: bigint;
  readonly nanos: number;

  constructor(epochSeconds: bigint, nanos = 0) {
    this.epochSeconds = toBigIntSeconds(epochSeconds, 'Timestamp');
    this.nanos = checkNanos(nanos, 'Timestamp');
  }

  /** The instant truncated to milliseconds (Date cannot hold more). */
  toDate(): Date {
    return new Date(Number(this.epochSeconds) * 1000 + Math.floor(this.nanos / 1_000_000));
  }

  /** Epoch nanoseconds as one bigint (Arrow timestamp[ns] form). */
  toEpochNanos(): bigint {
    return this.epochSeconds * 1_000_000_000n + BigInt(this.nanos);
  }

  /** ISO 8601 with 9 fractional digits and Z, e.g. 2024-01-02T03:04:05.123456789Z. */
  toString(): string {
    const days = floorDiv(this.epochSeconds, SECONDS_PER_DAY);
    const secOfDay = Number(this.epochSeconds - days * SECONDS_PER_DAY);
    const [y, m, d] = civilFromDays(Number(days));
    const hh = Math.floor(secOfDay / 3600);
    const mi = Math.floor((secOfDay % 3600) / 60);
    const ss = secOfDay % 60;
    return `${formatYear(y)}-${pad(m, 2)}-${pad(d, 2)}T${pad(hh, 2)}:${pad(mi, 2)}:${pad(ss, 2)}.${pad(this.nanos, 9)}Z`;
  }

  toJSON(): string {
    return this.toString();
  }

  equals(o: unknown): boolean {
    return o instanceof Timestamp && o.epochSeconds === this.epochSeconds && o.nanos === this.nanos;
  }

  static fromDate(d: Date): Timestamp {
    const ms = d instanceof Date ? d.getTime() : NaN;
    if (!Number.isFinite(ms)) throw new RangeError('Timestamp.fromDate: invalid Date');
    const sec = Math.floor(ms / 1000);
    return new Timestamp(BigInt(sec), (ms - sec * 1000) * 1_000_000);
  }

  /** From epoch nanoseconds (Arrow timestamp[ns]). */
  static fromEpochNanos(ns: bigint): Timestamp {
    const sec = floorDiv(ns, 1_000_000_000n);
    return new Timestamp(sec, Number(ns - sec * 1_000_000_000n));
  }

  /**
   * Parses 'YYYY-MM-DD HH:MM:SS[.fffffffff]' (read as UTC) or ISO 8601 with 'T', optional
   * fraction of up to 9 digits, and an optional 'Z' or ±HH:MM offset. Throws RangeError.
   */
  static parse(s: string): Timestamp {
    const m = typeof s === 'string' ? TS_RE.exec(s.trim()) : null;
    if (!m) throw new RangeError(`Timestamp.parse: not a timestamp: "${String(s).slice(0, 64)}"`);
    const days = checkedDays(Number(m[1]), Number(m[2]), Number(m[3]));
    const hh = Number(m[4] ?? 0);
    const mi = Number(m[5] ?? 0);
    const ss = Number(m[6] ?? 0);
    if (days === undefined || hh > 23 || mi > 59 || ss > 59) {
      throw new RangeError(`Timestamp.parse: field out of range in "${s.slice(0, 64)}"`);
    }
    const nanos = m[7] ? Number(m[7].padEnd(9, '0')) : 0;
    let offset = 0;
    const z = m[8];
    if (z && z.toUpperCase() !== 'Z') {
      const digits = z.slice(1).replace(':', '');
      const oh = Number(digits.slice(0, 2));
      const om = Number(digits.slice(2) || '0');
      if (oh > 23 || om > 59) throw new RangeError(`Timestamp.parse: bad offset in "${s.slice(0, 64)}"`);
      offset = (z[0] === '-' ? -1 : 1) * (oh * 3600 + om * 60);
    }
    return new Timestamp(BigInt(days) * SECONDS_PER_DAY + BigInt(hh * 3600 + mi * 60 + ss - offset), nanos);
  }
}

/** INTERVAL_DAY_TIME: total seconds (floor) plus nanos in [0, 1e9). */
export class IntervalDayTime {
  readonly totalSeconds: bigint;
  readonly nanos: number;

  constructor(totalSeconds: bigint, nanos = 0) {
    this.totalSeconds = toBigIntSeconds(totalSeconds, 'IntervalDayTime');
    this.nanos = checkNanos(nanos, 'IntervalDayTime');
  }

  /** '[-]D HH:MM:SS.nnnnnnnnn'. */
  toString(): string {
    let total = this.totalSeconds * 1_000_000_000n + BigInt(this.nanos);
    const neg = total < 0n;
    if (neg) total = -total;
    const nanos = total % 1_000_000_000n;
    let secs = total / 1_000_000_000n;
    const days = secs / SECONDS_PER_DAY;
    secs %= SECONDS_PER_DAY;
    const s = Number(secs);
    return `${neg ? '-' : ''}${days} ${pad(Math.floor(s / 3600), 2)}:${pad(Math.floor((s % 3600) / 60), 2)}:${pad(s % 60, 2)}.${pad(nanos, 9)}`;
  }

  toJSON(): string {
    return this.toString();
  }

  equals(o: unknown): boolean {
    return o instanceof IntervalDayTime && o.totalSeconds === this.totalSeconds && o.nanos === this.nanos;
  }
}

/** INTERVAL_YEAR_MONTH: a signed count of months. */
export class IntervalYearMonth {
  readonly months: number;

  constructor(months: number) {
    if (!Number.isSafeInteger(months)) throw new RangeError('IntervalYearMonth: months must be a safe integer');
    this.months = months;
  }

  /** '[-]Y-M', e.g. '1-2' for 14 months. */
  toString(): string {
    const a = Math.abs(this.months);
    return `${this.months < 0 ? '-' : ''}${Math.floor(a / 12)}-${a % 12}`;
  }

  toJSON(): string {
    return this.toString();
  }

  equals(o: unknown): boolean {
    return o instanceof IntervalYearMonth && o.months === this.months;
  }
}
