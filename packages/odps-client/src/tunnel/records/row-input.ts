// Rows given as arrays or as objects keyed by column name (case-insensitive), laid out in column order.
import { OdpsArgumentError } from '../../errors.js';
import type { Column } from '../../types/column.js';

/** Maps rows given as objects onto the column order of one table; arrays pass through. */
export class RowLayout {
  private readonly byName: Map<string, number>;

  constructor(private readonly columns: readonly Column[], private readonly tableName: string) {
    this.byName = new Map(columns.map((c, i) => [c.name.toLowerCase(), i]));
  }

  /** Column index of `name` (case-insensitive), if it is a column. */
  indexOf(name: string): number | undefined {
    return this.byName.get(name.toLowerCase());
  }

  /** The row as an array in column order; missing fields are null, unknown fields are an error. */
  toArray(row: unknown): readonly unknown[] {
    if (Array.isArray(row)) return row as unknown[];
    if (row === null || typeof row !== 'object') throw new OdpsArgumentError(`a row must be an array or an object, got ${row === null ? 'null' : typeof row}`);
    const out = new Array<unknown>(this.columns.length).fill(null);
    for (const [k, v] of Object.entries(row)) {
      const i = this.byName.get(k.toLowerCase());
      if (i === undefined) throw new OdpsArgumentError(`row has a field "${k}" that is not a data column of ${this.tableName}`);
      out[i] = v;
    }
    return out;
  }
}
