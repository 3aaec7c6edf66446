// Public surface of the ODPS type system: type trees, value classes, columns and write coercion.
export { parseType, parseTypeCached, formatType, OdpsTypeError } from './odps-type.js';
export type { OdpsType, PrimitiveKind } from './odps-type.js';
export { Timestamp, IntervalDayTime, IntervalYearMonth } from './values.js';
export type { Column } from './column.js';
export { coerceValue } from './coerce.js';
export { ValueTypeError } from './value-type-error.js';
export { formatEpochDay, parseEpochDay } from './calendar.js';
export { validateTimeZone, zoneOffsetMs, wallTimeToInstant, instantToWallTime } from './zoned-time.js';
