// Where a download session's frozen rows come from: an engine snapshot read on demand, or rows already in memory.
import type { Engine, SnapshotInfo } from '../../engine/types.js';

export interface RowSource {
  /** Rows in the snapshot (the session's RecordCount). */
  readonly count: number;
  /** Reads aligned to multiples of this cost one engine query each. */
  readonly chunkRows: number;
  /** Rows this source keeps in JS memory (the session store's weight). */
  readonly heldRows: number;
  /** Rows [offset, offset + limit) with the data columns at `projection` (indexes into the session columns), in that order. */
  read(offset: number, limit: number, projection: readonly number[]): Promise<unknown[][]>;
  /** Pin while a request streams; call the returned function when done. */
  pin(): () => void;
  /** The session is gone: free the snapshot once no request streams from it. Idempotent. */
  release(): void;
}

/** Rows in memory (instance results, or engines without snapshots): reads are slices. */
export class MemoryRowSource implements RowSource {
  readonly chunkRows = 8192;

  constructor(private readonly rows: readonly unknown[][]) {}

  get count(): number {
    return this.rows.length;
  }

  get heldRows(): number {
    return this.rows.length;
  }

  read(offset: number, limit: number, projection: readonly number[]): Promise<unknown[][]> {
    const end = Math.min(this.rows.length, offset + limit);
    const out: unknown[][] = [];
    for (let r = offset; r < end; r++) {
      const row = this.rows[r]!;
      out.push(projection.map((c) => row[c] ?? null));
    }
    return Promise.resolve(out);
  }

  pin(): () => void {
    return () => {};
  }

  release(): void {}
}

/**
 * A DuckDB snapshot (engine.snapshot): nothing is held in JS memory; each chunk is read when the body
 * needs it. Released sessions keep their snapshot until the last streaming request unpins it, so an
 * evicted session's in-flight download still finishes.
 */
export class EngineSnapshotSource implements RowSource {
  readonly heldRows = 0;
  private pins = 0;
  private released = false;
  private dropped = false;

  constructor(
    private readonly engine: Engine & Required<Pick<Engine, 'readSnapshot' | 'dropSnapshot'>>,
    private readonly id: string,
    private readonly columnNames: readonly string[],
    readonly count: number,
    readonly chunkRows: number,
    private readonly onDropError: (err: unknown) => void,
    /** False for snapshots someone else owns (an instance's kept result): release() leaves them alone. */
    private readonly owned = true,
  ) {}

  read(offset: number, limit: number, projection: readonly number[]): Promise<unknown[][]> {
    return this.engine.readSnapshot(this.id, { offset, limit, columns: projection.map((i) => this.columnNames[i]!) });
  }

  pin(): () => void {
    this.pins++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.pins--;
      this.dropIfUnused();
    };
  }

  release(): void {
    this.released = true;
    this.dropIfUnused();
  }

  private dropIfUnused(): void {
    if (!this.owned || !this.released || this.pins > 0 || this.dropped) return;
    this.dropped = true;
    this.engine.dropSnapshot(this.id).catch(this.onDropError);
  }
}

/**
 * A session over an instance's result: the kept result snapshot when the engine stored it (not owned:
 * the instance holds it), else the result rows in memory; `limit` caps the count.
 */
export function resultSource(engine: Engine, result: { rows: unknown[][]; snapshot?: SnapshotInfo }, limit: number | undefined): RowSource {
  const snap = result.snapshot;
  if (snap && engine.readSnapshot && engine.dropSnapshot) {
    const capable = engine as Engine & Required<Pick<Engine, 'readSnapshot' | 'dropSnapshot'>>;
    const count = limit === undefined ? snap.count : Math.min(limit, snap.count);
    return new EngineSnapshotSource(capable, snap.id, snap.columns, count, snap.chunkRows, () => {}, false);
  }
  return new MemoryRowSource(limit === undefined ? result.rows : result.rows.slice(0, limit));
}

/** The engine's snapshot of a table/partition, or (engines without snapshots) its rows read into memory. */
export async function snapshotTable(
  engine: Engine,
  project: string,
  table: string,
  opts: { schema: string; partition?: Record<string, string>; columnNames: readonly string[]; onDropError: (err: unknown) => void },
): Promise<RowSource> {
  const where = { schema: opts.schema, ...(opts.partition ? { partition: opts.partition } : {}) };
  if (engine.snapshot && engine.readSnapshot && engine.dropSnapshot) {
    const snap = await engine.snapshot(project, table, where);
    const capable = engine as Engine & Required<Pick<Engine, 'readSnapshot' | 'dropSnapshot'>>;
    return new EngineSnapshotSource(capable, snap.id, opts.columnNames, snap.count, snap.chunkRows, opts.onDropError);
  }
  return new MemoryRowSource(await engine.readRows(project, table, where));
}
