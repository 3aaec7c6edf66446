// Result column naming/typing: DuckDB result metadata -> ODPS columns, preferring declared table column types.
import type { DuckDBType } from '@duckdb/node-api';
import { parseType } from '@odps-ts/odps-client';
import type { Column, OdpsType } from '@odps-ts/odps-client';
import { odpsTypeOfDuck } from './type-mapping.js';

/** The ODPS type a declared type reads back as after a trip through its DuckDB storage type. */
export function storageOdpsType(t: OdpsType): string {
  switch (t.kind) {
    case 'string': case 'varchar': case 'char': case 'json': case 'void': return 'string';
    case 'decimal': return `decimal(${Math.min(t.precision ?? 38, 38)},${t.scale ?? (t.precision === undefined ? 18 : 0)})`;
    case 'interval_year_month': case 'interval_day_time': return 'interval_day_time';
    case 'timestamp_ntz': return 'timestamp';
    case 'vector': return `array<${t.element}>`;
    case 'array': return `array<${storageOdpsType(t.element)}>`;
    case 'map': return `map<${storageOdpsType(t.key)},${storageOdpsType(t.value)}>`;
    case 'struct': return `struct<${t.fields.map((f) => `${/^[A-Za-z_][A-Za-z0-9_]*$/.test(f.name) ? f.name : '`' + f.name + '`'}:${storageOdpsType(f.type)}`).join(',')}>`;
    default: return t.kind;
  }
}

/**
 * ODPS columns of a result. `declared` maps lower-case column names (unique among the tables the
 * query touched) to their declared ODPS types, used when storage-compatible with the result type.
 */
export function resultColumns(names: string[], types: DuckDBType[], declared: Map<string, string>): Column[] {
  return names.map((name, i) => {
    const reported = odpsTypeOfDuck(types[i]!);
    const decl = declared.get(name.toLowerCase());
    let type = reported;
    if (decl !== undefined) {
      try {
        if (storageOdpsType(parseType(decl)) === reported) type = decl;
      } catch {
        // A declared type we cannot parse keeps the reported one.
      }
    }
    // Unaliased expressions are named _c<i> like ODPS does (DuckDB would use the expression text).
    const outName = /[()[\]\s'",*+/=<>|!-]/.test(name) ? `_c${i}` : name;
    return { name: outName, type };
  });
}
