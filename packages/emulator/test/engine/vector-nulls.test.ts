// NULLs read by the vector readers (VARCHAR, LIST, MAP, STRUCT) at every bit position of the validity mask.
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { resultRows } from '../../src/engine/read-rows.js';

describe('vector readers and NULLs', () => {
  it('reads NULL exactly where the mask says, across 64-bit words and chunks', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    try {
      const n = 5000;
      const result = await conn.run(`
        SELECT
          CASE WHEN i % 7 = 0 THEN NULL ELSE 's' || i END,
          CASE WHEN i % 5 = 1 THEN NULL ELSE 'a longer string ' || i END,
          CASE WHEN i % 3 = 2 THEN NULL ELSE [i, NULL] END,
          CASE WHEN i % 11 = 3 THEN NULL ELSE map_entries(MAP {'k': i}) END,
          CASE WHEN i % 13 = 4 THEN NULL ELSE {'a': i} END
        FROM range(${n}) t(i) ORDER BY i`);
      const rows = await resultRows(result, (c) => c === 3);
      expect(rows).toHaveLength(n);
      for (let i = 0; i < n; i++) {
        const b = BigInt(i);
        expect(rows[i]).toEqual([
          i % 7 === 0 ? null : `s${i}`,
          i % 5 === 1 ? null : `a longer string ${i}`,
          i % 3 === 2 ? null : [b, null],
          i % 11 === 3 ? null : new Map([['k', b]]),
          i % 13 === 4 ? null : { a: b },
        ]);
      }
    } finally {
      conn.closeSync();
      db.closeSync();
    }
  });
});
