// A partition value (always text in the spec) in the value model of its column's type.
import type { Column } from '../../types/column.js';
import { parseTypeCached } from '../../types/odps-type.js';

export function partitionValue(column: Column, raw: string): unknown {
  const t = parseTypeCached(column.type);
  switch (t.kind) {
    case 'bigint':
      return /^-?\d+$/.test(raw) ? BigInt(raw) : raw;
    case 'tinyint': case 'smallint': case 'int':
      return /^-?\d+$/.test(raw) ? Number(raw) : raw;
    default:
      // STRING (by far the common case), VARCHAR, CHAR, DATE 'YYYY-MM-DD': the text is the value.
      return raw;
  }
}
