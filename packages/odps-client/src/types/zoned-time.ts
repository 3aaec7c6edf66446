// Wall-clock DATETIME text in an IANA time zone <-> instants, through Intl (no zone database of our own).
import { OdpsArgumentError } from '../errors.js';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone, hourCycle: 'h23', era: 'short',
        year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
      });
    } catch {
      throw new OdpsArgumentError(`unknown time zone ${JSON.stringify(zone)} (expected an IANA name such as Asia/Shanghai)`);
    }
    formatters.set(zone, f);
  }
  return f;
}

/** The zone name, checked: throws OdpsArgumentError for a name Intl does not know. */
export function validateTimeZone(zone: string): string {
  if (typeof zone !== 'string' || zone.trim() === '') throw new OdpsArgumentError(`invalid time zone ${JSON.stringify(zone)}`);
  formatter(zone);
  return zone;
}

/** Whether the zone needs no conversion at all (the common default; skips Intl). */
function isUtc(zone: string): boolean {
  return /^(utc|gmt|etc\/(utc|gmt|gmt[+-]0|zulu|universal)|z|zulu|universal)$/i.test(zone);
}

/** Milliseconds to add to an instant to get the zone's wall clock read as UTC (whole seconds). */
export function zoneOffsetMs(instantMs: number, zone: string): number {
  if (isUtc(zone)) return 0;
  const whole = Math.floor(instantMs / 1000) * 1000;
  const parts: Record<string, string> = {};
  for (const p of formatter(zone).formatToParts(new Date(whole))) parts[p.type] = p.value;
  const year = Number(parts['year']);
  const wall = new Date(0);
  wall.setUTCFullYear(/^b/i.test(parts['era'] ?? '') ? 1 - year : year, Number(parts['month']) - 1, Number(parts['day']));
  wall.setUTCHours(Number(parts['hour']), Number(parts['minute']), Number(parts['second']), 0);
  return wall.getTime() - whole;
}

/**
 * The instant whose wall clock in `zone` reads `wallMs` (a wall time encoded as if it were UTC). In a
 * gap (spring forward) the later offset wins; in an overlap, the earlier instant, as java.time does.
 */
export function wallTimeToInstant(wallMs: number, zone: string): number {
  if (isUtc(zone)) return wallMs;
  const first = zoneOffsetMs(wallMs, zone);
  const candidate = wallMs - first;
  const second = zoneOffsetMs(candidate, zone);
  if (second === first) {
    // Overlap: an earlier instant with a larger offset may read the same wall time.
    const earlier = wallMs - zoneOffsetMs(candidate - 3_600_000, zone);
    return earlier < candidate && zoneOffsetMs(earlier, zone) === wallMs - earlier ? earlier : candidate;
  }
  const retry = wallMs - second;
  return zoneOffsetMs(retry, zone) === second ? retry : Math.max(candidate, retry);
}

/** The wall clock of an instant in `zone`, as a Date whose UTC fields read it. */
export function instantToWallTime(instantMs: number, zone: string): Date {
  return new Date(instantMs + zoneOffsetMs(instantMs, zone));
}
