// Public surface of @odps-ts/odps-client.
export { parseType, formatType, OdpsTypeError, Timestamp, IntervalDayTime, IntervalYearMonth, coerceValue, ValueTypeError } from './types/index.js';
export type { OdpsType, Column } from './types/index.js';
