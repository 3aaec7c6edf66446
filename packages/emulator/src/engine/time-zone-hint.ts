// The `odps.sql.timezone` setting: a session's time zone, checked before a script runs.
import { validateTimeZone } from '@odps-ts/odps-client';
import { semanticError } from './sql-error.js';

export const TIME_ZONE_SETTING = 'odps.sql.timezone';

/** Refuse a zone name Intl does not know (the task fails, as a bad setting does on the service). */
export function checkTimeZoneHint(zone: string | undefined): void {
  if (zone === undefined) return;
  try {
    validateTimeZone(zone);
  } catch {
    // [UNVERIFIED] the service's exact code and text for a bad zone.
    throw semanticError(undefined, `invalid time zone '${zone}' in ${TIME_ZONE_SETTING}`);
  }
}
