import { describe, expect, it } from 'vitest';
import { OdpsArgumentError } from '../../src/errors.js';
import { instantToWallTime, validateTimeZone, wallTimeToInstant, zoneOffsetMs } from '../../src/types/zoned-time.js';
import { castResultValue } from '../../src/sql/result-values.js';

const H = 3_600_000;
const wall = (iso: string): number => Date.parse(`${iso}Z`);

describe('wall time in IANA zones', () => {
  it('converts fixed and DST zones both ways', () => {
    expect(wallTimeToInstant(wall('2024-03-01T02:30:15.250'), 'Asia/Shanghai')).toBe(wall('2024-02-29T18:30:15.250'));
    expect(instantToWallTime(wall('2024-02-29T18:30:15.250'), 'Asia/Shanghai').toISOString()).toBe('2024-03-01T02:30:15.250Z');
    expect(zoneOffsetMs(wall('2024-07-01T00:00:00'), 'America/New_York')).toBe(-4 * H);
    expect(zoneOffsetMs(wall('2024-01-01T00:00:00'), 'America/New_York')).toBe(-5 * H);
    expect(zoneOffsetMs(wall('2024-01-01T00:00:00'), 'Asia/Kolkata')).toBe(5.5 * H);
    for (const z of ['UTC', 'Etc/UTC', 'GMT', 'Etc/GMT']) expect(wallTimeToInstant(wall('2024-01-01T00:00:00'), z)).toBe(wall('2024-01-01T00:00:00'));
  });

  it('resolves a DST gap forward and an overlap to the earlier instant (as java.time does)', () => {
    // 2024-03-10 02:30 does not exist in New York: it reads as 03:30 EDT.
    expect(new Date(wallTimeToInstant(wall('2024-03-10T02:30:00'), 'America/New_York')).toISOString()).toBe('2024-03-10T07:30:00.000Z');
    // 2024-11-03 01:30 happens twice: the EDT one (05:30Z) first.
    expect(new Date(wallTimeToInstant(wall('2024-11-03T01:30:00'), 'America/New_York')).toISOString()).toBe('2024-11-03T05:30:00.000Z');
  });

  it('round-trips every hour of a DST year and edge years of the DATETIME range', () => {
    const start = wall('2024-01-01T00:00:00');
    for (let t = start; t < start + 366 * 24 * H; t += 7 * H + 13_000) {
      for (const z of ['Europe/Berlin', 'Australia/Lord_Howe', 'Asia/Shanghai']) {
        expect(wallTimeToInstant(instantToWallTime(t, z).getTime(), z)).toBe(t);
      }
    }
    for (const iso of ['0001-01-01T00:00:00', '1900-06-01T12:00:00', '9999-12-31T23:59:59']) {
      const t = wallTimeToInstant(wall(iso), 'Asia/Shanghai');
      expect(instantToWallTime(t, 'Asia/Shanghai').toISOString()).toBe(`${iso}.000Z`);
    }
  });

  it('refuses names Intl does not know', () => {
    for (const bad of ['', ' ', 'Mars/Olympus', 'Asia/Shanghai ', '+25:00']) expect(() => validateTimeZone(bad)).toThrow(OdpsArgumentError);
    expect(validateTimeZone('Asia/Shanghai')).toBe('Asia/Shanghai');
  });

  it('casts ?result DATETIME text in the given zone, nested values too, and keeps malformed text', () => {
    const dt = { kind: 'datetime' } as const;
    expect(castResultValue('2024-03-01 02:30:15', dt, { timeZone: 'Asia/Shanghai' })).toEqual(new Date(wall('2024-02-29T18:30:15')));
    expect(castResultValue('2024-03-01 02:30:15', dt)).toEqual(new Date(wall('2024-03-01T02:30:15')));
    const arr = castResultValue('["2024-03-01 08:00:00"]', { kind: 'array', element: dt }, { timeZone: 'Asia/Shanghai' });
    expect(arr).toEqual([new Date(wall('2024-03-01T00:00:00'))]);
    for (const bad of ['2024-13-01 00:00:00', 'yesterday', '2024-03-01', '']) expect(castResultValue(bad, dt, { timeZone: 'Asia/Shanghai' })).toBe(bad);
  });
});
