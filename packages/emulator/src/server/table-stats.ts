// Row count and logical size of a table as the emulator reports them (table meta, SQLCost input bytes).
import type { Engine, TableInfo } from '../engine/types.js';

export interface TableStats {
  /** -1 when unknown. */
  recordNum: number;
  size: number;
}

// The engine does not measure storage: a cell counts as 8 bytes.
const BYTES_PER_CELL_ESTIMATE = 8;

export async function tableStats(engine: Engine, t: TableInfo): Promise<TableStats> {
  if (t.type === 'VIRTUAL_VIEW') return { recordNum: -1, size: 0 };
  if (t.partitionKeys.length > 0) {
    const parts = engine.listPartitions(t.project, t.name, t.schema);
    return {
      recordNum: parts.reduce((n, p) => n + p.recordCount, 0),
      size: parts.reduce((n, p) => n + p.size, 0),
    };
  }
  const recordNum = await engine.countRows(t.project, t.name, { schema: t.schema });
  return { recordNum, size: recordNum * Math.max(1, t.columns.length) * BYTES_PER_CELL_ESTIMATE };
}
