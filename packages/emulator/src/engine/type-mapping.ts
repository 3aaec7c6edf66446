// ODPS type <-> DuckDB type: the physical column type of each ODPS type and the ODPS type of a DuckDB result column.
import { DuckDBTypeId } from '@duckdb/node-api';
import type { DuckDBType } from '@duckdb/node-api';
import type { OdpsType } from '@odps-ts/odps-client';
import { quoteIdent } from './physical-names.js';

/** DuckDB SQL type text used to store an ODPS type. */
export function duckTypeSql(t: OdpsType): string {
  switch (t.kind) {
    case 'boolean': return 'BOOLEAN';
    case 'tinyint': return 'TINYINT';
    case 'smallint': return 'SMALLINT';
    case 'int': return 'INTEGER';
    case 'bigint': return 'BIGINT';
    case 'float': return 'FLOAT';
    case 'double': return 'DOUBLE';
    case 'decimal':
      // Legacy bare `decimal` is stored as DECIMAL(38,18); DuckDB cannot go past 38 digits.
      return `DECIMAL(${Math.min(t.precision ?? 38, 38)},${t.scale ?? (t.precision === undefined ? 18 : 0)})`;
    case 'string': case 'varchar': case 'char': case 'json': case 'void':
      return 'VARCHAR';
    case 'binary': return 'BLOB';
    // DATETIME has millisecond precision: TIMESTAMP_MS keeps exactly that.
    case 'datetime': return 'TIMESTAMP_MS';
    case 'date': return 'DATE';
    // Nanosecond precision, but only years 1677..2262 fit (DuckDB TIMESTAMP_NS is an int64 of ns).
    case 'timestamp': case 'timestamp_ntz': return 'TIMESTAMP_NS';
    // DuckDB INTERVAL is (months, days, micros): sub-microsecond nanos are lost.
    case 'interval_day_time': case 'interval_year_month': return 'INTERVAL';
    case 'array': return `${duckTypeSql(t.element)}[]`;
    case 'map': return `MAP(${duckTypeSql(t.key)}, ${duckTypeSql(t.value)})`;
    case 'struct':
      return `STRUCT(${t.fields.map((f) => `${quoteIdent(f.name)} ${duckTypeSql(f.type)}`).join(', ')})`;
    case 'vector': return t.element === 'float' ? 'FLOAT[]' : 'DOUBLE[]';
  }
}

function structFieldName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : '`' + name.replace(/`/g, '``') + '`';
}

/** ODPS type string reported for a DuckDB result column type. */
export function odpsTypeOfDuck(t: DuckDBType): string {
  switch (t.typeId) {
    case DuckDBTypeId.BOOLEAN: return 'boolean';
    case DuckDBTypeId.TINYINT: return 'tinyint';
    case DuckDBTypeId.SMALLINT: case DuckDBTypeId.UTINYINT: return 'smallint';
    case DuckDBTypeId.INTEGER: case DuckDBTypeId.USMALLINT: return 'int';
    case DuckDBTypeId.BIGINT: case DuckDBTypeId.HUGEINT: case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.UBIGINT: case DuckDBTypeId.UHUGEINT:
      return 'bigint';
    case DuckDBTypeId.FLOAT: return 'float';
    case DuckDBTypeId.DOUBLE: return 'double';
    case DuckDBTypeId.DECIMAL: return `decimal(${t.width},${t.scale})`;
    case DuckDBTypeId.BLOB: return 'binary';
    case DuckDBTypeId.DATE: return 'date';
    case DuckDBTypeId.TIMESTAMP: case DuckDBTypeId.TIMESTAMP_MS: case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return 'datetime';
    case DuckDBTypeId.TIMESTAMP_NS: return 'timestamp';
    case DuckDBTypeId.INTERVAL: return 'interval_day_time';
    case DuckDBTypeId.LIST: case DuckDBTypeId.ARRAY: return `array<${odpsTypeOfDuck(t.valueType)}>`;
    case DuckDBTypeId.MAP: return `map<${odpsTypeOfDuck(t.keyType)},${odpsTypeOfDuck(t.valueType)}>`;
    case DuckDBTypeId.STRUCT:
      return `struct<${t.entryNames.map((n, i) => `${structFieldName(n)}:${odpsTypeOfDuck(t.entryTypes[i]!)}`).join(',')}>`;
    case DuckDBTypeId.SQLNULL: return 'void';
    default: return 'string';
  }
}
