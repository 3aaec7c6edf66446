// The stream-session sink behind `odps upload --stream`: the block writer's writeRows/commit/abort over a stream writer.
import type { Table } from '@odps-ts/odps-client';

/** What `odps upload` needs of a writer (RecordBlockWriter has it too). */
export interface RowSink {
  writeRows(rows: unknown[][]): Promise<unknown>;
  commit(): Promise<unknown>;
  abort(): Promise<unknown>;
}

export async function openStreamSink(
  table: Table, partition: string | undefined, createPartition: boolean, compress: boolean, signal: AbortSignal,
): Promise<RowSink> {
  const w = await table.openStreamWriter({
    ...(partition ? { partition } : {}),
    ...(createPartition ? { createPartition: true } : {}),
    ...(compress ? { compress: true } : {}),
    signal,
  });
  return {
    writeRows: async (rows) => {
      if (rows.length > 0) await w.write(rows);
    },
    // Flushes the last batch; earlier batches were visible as soon as they were sent.
    commit: () => w.close(),
    // A stream session has no rollback: batches already sent stay.
    abort: async () => undefined,
  };
}
