// Reading DuckDB rows into value-model rows chunk by chunk, with the fast vector readers of from-duck-vector.ts.
import type { DuckDBConnection, DuckDBResult, DuckDBType } from '@duckdb/node-api';
import { fromDuckVector, readAsMapEntries } from './from-duck-vector.js';
import { quoteIdent } from './physical-names.js';

export interface TypedColumn {
  name: string;
  type: DuckDBType;
}

/** DuckDB types of the named columns of a relation. */
export async function columnTypesOf(conn: DuckDBConnection, relation: string, names: readonly string[]): Promise<TypedColumn[]> {
  if (names.length === 0) return [];
  const result = await conn.run(`SELECT ${names.map(quoteIdent).join(', ')} FROM ${relation} LIMIT 0`);
  const types = result.columnTypes();
  return names.map((name, i) => ({ name, type: types[i]! }));
}

/** `SELECT columns FROM relation WHERE where tail`, converted row by row from each result chunk. */
export async function readRowsSql(
  conn: DuckDBConnection,
  relation: string,
  columns: readonly TypedColumn[],
  where: string,
  tail: string,
): Promise<unknown[][]> {
  if (columns.length === 0) return [];
  const select = columns.map((c) => (readAsMapEntries(c.type) ? `map_entries(${quoteIdent(c.name)}) AS ${quoteIdent(c.name)}` : quoteIdent(c.name)));
  const result = await conn.run(`SELECT ${select.join(', ')} FROM ${relation} WHERE ${where} ${tail}`);
  return resultRows(result, (c) => readAsMapEntries(columns[c]!.type));
}

/** Every row of a result in the value model; `mapAsEntries(c)` marks columns selected as map_entries(). */
export async function resultRows(result: DuckDBResult, mapAsEntries: (column: number) => boolean = () => false): Promise<unknown[][]> {
  const types = result.columnTypes();
  const readers = types.map((t, c) => fromDuckVector(t, mapAsEntries(c)));
  const rows: unknown[][] = [];
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const n = chunk.rowCount;
    const vectors = readers.map((_, c) => chunk.getColumnVector(c));
    for (let r = 0; r < n; r++) {
      const row = new Array<unknown>(readers.length);
      for (let c = 0; c < readers.length; c++) row[c] = readers[c]!(vectors[c]!, r);
      rows.push(row);
    }
  }
  return rows;
}
