// Column descriptions accepted by the record codec: ODPS type strings or parsed type trees.
import { parseTypeCached, type OdpsType } from '../../types/odps-type.js';

export interface RecordColumn {
  name: string;
  /** ODPS type string such as 'array<bigint>', or an already parsed type. */
  type: string | OdpsType;
}

export function resolveColumnTypes(columns: readonly RecordColumn[]): OdpsType[] {
  return columns.map((c) => (typeof c.type === 'string' ? parseTypeCached(c.type) : c.type));
}
