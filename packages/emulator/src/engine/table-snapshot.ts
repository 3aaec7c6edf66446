// A frozen read view of one table (or partition) for tunnel downloads: a DuckDB transaction kept open on its own connection.
import type { DuckDBConnection } from '@duckdb/node-api';
import { AsyncMutex } from './async-mutex.js';
import { quoteIdent } from './physical-names.js';
import { columnTypesOf, readRowsSql, type TypedColumn } from './read-rows.js';

/** Visible rows per indexed chunk: one bound (a rowid) is kept per chunk, and reads never span more. */
export const SNAPSHOT_CHUNK_ROWS = 8192;

/**
 * DuckDB's MVCC gives the snapshot for free: a transaction begun on a separate connection keeps seeing
 * the table as it was, whatever later writes, ALTERs, renames or drops do on the engine connection, and
 * it costs nothing until the table changes (then only the old row versions are kept). Nothing is
 * copied at creation, so creation is one count and one index query.
 *
 * Row order is rowid order: the table's insertion order, the same for every reader of the snapshot.
 * `bounds[k]` is the rowid of visible row k·CHUNK, so a range read is a rowid-bounded scan of at most
 * one chunk per query (zone maps skip the rest) instead of an OFFSET scan from the start.
 */
export class TableSnapshot {
  private readonly mutex = new AsyncMutex();
  private dropped = false;

  private constructor(
    readonly id: string,
    private readonly conn: DuckDBConnection,
    /** Quoted relation the rows are read from (the physical table, or a temp copy of a view). */
    private readonly from: string,
    private readonly where: string,
    private readonly columns: ReadonlyMap<string, TypedColumn>,
    readonly count: number,
    private readonly bounds: readonly bigint[],
  ) {}

  /**
   * Begin the snapshot. The caller holds the engine lock, so no write on the engine connection falls
   * between the read of the count and the index.
   */
  static async open(
    id: string,
    conn: DuckDBConnection,
    source: { relation: string; isView: boolean; where: string; columns: readonly string[] },
  ): Promise<TableSnapshot> {
    try {
      await conn.run('BEGIN TRANSACTION');
      let from = source.relation;
      let where = source.where;
      if (source.isView) {
        // Views have no rowid: their rows are copied once into a connection-local temp table.
        from = `temp.${quoteIdent(`snap_${id}`)}`;
        await conn.run(`CREATE TEMP TABLE ${from} AS SELECT ${source.columns.map(quoteIdent).join(', ')} FROM ${source.relation} WHERE ${where}`);
        where = 'TRUE';
      }
      const countReader = await conn.runAndReadAll(`SELECT count(*) FROM ${from} WHERE ${where}`);
      const count = Number(countReader.getRows()[0]![0]);
      const boundsReader = await conn.runAndReadAll(
        `SELECT rowid FROM ${from} WHERE ${where} QUALIFY (row_number() OVER (ORDER BY rowid) - 1) % ${SNAPSHOT_CHUNK_ROWS} = 0 ORDER BY rowid`,
      );
      const bounds = boundsReader.getRows().map((r) => r[0] as bigint);
      const typed = await columnTypesOf(conn, from, source.columns);
      return new TableSnapshot(id, conn, from, where, new Map(typed.map((c) => [c.name, c])), count, bounds);
    } catch (err) {
      conn.closeSync();
      throw err;
    }
  }

  /** Rows [offset, offset + limit) of the given data columns (in that order), in the value model. */
  read(offset: number, limit: number, names: readonly string[]): Promise<unknown[][]> {
    const columns = names.map((n) => {
      const c = this.columns.get(n);
      if (!c) throw new Error(`column ${n} is not in download snapshot ${this.id}`);
      return c;
    });
    return this.mutex.run(async () => {
      if (this.dropped) throw new Error(`download snapshot ${this.id} was dropped`);
      const end = Math.min(this.count, offset + limit);
      const out: unknown[][] = [];
      for (let from = offset; from < end;) {
        const k = Math.floor(from / SNAPSHOT_CHUNK_ROWS);
        const to = Math.min(end, (k + 1) * SNAPSHOT_CHUNK_ROWS);
        const upper = this.bounds[k + 1];
        const range = `rowid >= ${this.bounds[k]!}` + (upper === undefined ? '' : ` AND rowid < ${upper}`);
        const skip = from - k * SNAPSHOT_CHUNK_ROWS;
        const rows = await readRowsSql(
          this.conn,
          this.from,
          columns,
          `(${this.where}) AND ${range}`,
          `ORDER BY rowid LIMIT ${to - from}${skip > 0 ? ` OFFSET ${skip}` : ''}`,
        );
        for (const row of rows) out.push(row);
        from = to;
      }
      return out;
    });
  }

  /** Data column names in table order. */
  get columnNames(): string[] {
    return [...this.columns.keys()];
  }

  /** End the transaction and close the connection (its temp tables go with it). Idempotent. */
  drop(): Promise<void> {
    return this.mutex.run(async () => {
      if (this.dropped) return;
      this.dropped = true;
      try {
        await this.conn.run('ROLLBACK');
      } catch {
        // the transaction may already be gone
      }
      this.conn.closeSync();
    });
  }
}
