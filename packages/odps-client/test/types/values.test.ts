import { describe, it, expect } from 'vitest';
import { IntervalDayTime, IntervalYearMonth, Timestamp } from '../../src/types/index.js';
import { civilFromDays, daysFromCivil, formatEpochDay, parseEpochDay } from '../../src/types/calendar.js';

describe('Timestamp', () => {
  it('formats ISO with 9 digits', () => {
    expect(new Timestamp(0n, 0).toString()).toBe('1970-01-01T00:00:00.000000000Z');
    expect(new Timestamp(1704164645n, 123456789).toString()).toBe('2024-01-02T03:04:05.123456789Z');
    expect(new Timestamp(-1n, 500_000_000).toString()).toBe('1969-12-31T23:59:59.500000000Z');
    expect(new Timestamp(253402300799n, 999_999_999).toString()).toBe('9999-12-31T23:59:59.999999999Z');
    expect(new Timestamp(-62167219200n, 0).toString()).toBe('0000-01-01T00:00:00.000000000Z');
  });

  it('parses both forms and offsets', () => {
    expect(Timestamp.parse('2024-01-02 03:04:05.123456789').equals(new Timestamp(1704164645n, 123456789))).toBe(true);
    expect(Timestamp.parse('2024-01-02T03:04:05.1Z').equals(new Timestamp(1704164645n, 100_000_000))).toBe(true);
    expect(Timestamp.parse('2024-01-02T05:04:05+02:00').equals(new Timestamp(1704164645n, 0))).toBe(true);
    expect(Timestamp.parse('1969-12-31 23:59:59.5').equals(new Timestamp(-1n, 500_000_000))).toBe(true);
    expect(Timestamp.parse('0001-01-01 00:00:00').toString()).toBe('0001-01-01T00:00:00.000000000Z');
    for (const bad of ['2024-02-30 00:00:00', '2024-01-01 24:00:00', 'nope', '2024-01-01 00:00:00.1234567891']) {
      expect(() => Timestamp.parse(bad)).toThrow(RangeError);
    }
  });

  it('round-trips toString/parse', () => {
    for (const [s, n] of [[0n, 0], [-62135596800n, 1], [253402300799n, 999999999], [-123456789n, 42]] as const) {
      const t = new Timestamp(s, n);
      expect(Timestamp.parse(t.toString()).equals(t)).toBe(true);
    }
  });

  it('fromDate floors pre-1970 milliseconds', () => {
    const t = Timestamp.fromDate(new Date(-1500));
    expect(t.epochSeconds).toBe(-2n);
    expect(t.nanos).toBe(500_000_000);
    expect(t.toDate().getTime()).toBe(-1500);
    const u = Timestamp.fromDate(new Date(1234));
    expect([u.epochSeconds, u.nanos]).toEqual([1n, 234_000_000]);
    expect(() => Timestamp.fromDate(new Date(NaN))).toThrow(RangeError);
  });

  it('epoch nanos conversion floors', () => {
    expect(Timestamp.fromEpochNanos(-1n).equals(new Timestamp(-1n, 999_999_999))).toBe(true);
    expect(new Timestamp(-1n, 999_999_999).toEpochNanos()).toBe(-1n);
  });

  it('validates nanos', () => {
    expect(() => new Timestamp(0n, 1e9)).toThrow(RangeError);
    expect(() => new Timestamp(0n, -1)).toThrow(RangeError);
    expect(() => new Timestamp(0n, 1.5)).toThrow(RangeError);
  });
});

describe('intervals', () => {
  it('IntervalDayTime toString', () => {
    expect(new IntervalDayTime(93784n, 5).toString()).toBe('1 02:03:04.000000005');
    expect(new IntervalDayTime(-1n, 500_000_000).toString()).toBe('-0 00:00:00.500000000');
    expect(new IntervalDayTime(0n, 0).equals(new IntervalDayTime(0n))).toBe(true);
  });
  it('IntervalYearMonth toString', () => {
    expect(new IntervalYearMonth(14).toString()).toBe('1-2');
    expect(new IntervalYearMonth(-14).toString()).toBe('-1-2');
    expect(() => new IntervalYearMonth(1.5)).toThrow(RangeError);
  });
});

describe('calendar', () => {
  it('matches Date for many days', () => {
    for (let d = -800000; d < 3000000; d += 997) {
      const iso = new Date(d * 86400000).toISOString().slice(0, 10);
      if (!iso.startsWith('+') && !iso.startsWith('-')) expect(formatEpochDay(d)).toBe(iso);
      const [y, m, dd] = civilFromDays(d);
      expect(daysFromCivil(y, m, dd)).toBe(d);
    }
    expect(parseEpochDay('1970-01-01')).toBe(0);
    expect(parseEpochDay('1969-12-31')).toBe(-1);
    expect(parseEpochDay('2000-02-29')).toBe(11016);
    expect(parseEpochDay('1900-02-29')).toBeUndefined();
  });
});
