// The rows of a finished SQL instance: the inline result, or all rows via the instance tunnel when
// the service cut the inline result at its 10 000-row cap.
import type { Instance } from '@odps-ts/odps-client';
import type { CommandContext } from '../context.js';
import type { OutputColumn } from '../output/row-writer.js';

export interface InstanceRows {
  columns: OutputColumn[];
  rows: AsyncIterable<readonly unknown[]>;
}

async function* fromArray(rows: readonly (readonly unknown[])[]): AsyncGenerator<readonly unknown[]> {
  yield* rows;
}

export async function readInstanceRows(_ctx: CommandContext, instance: Instance, signal?: AbortSignal): Promise<InstanceRows> {
  const result = await instance.getResult(signal ? { signal } : {});
  const columns = result.columns.map((c) => ({ name: c.name, type: c.type }));
  if (!result.truncated) return { columns, rows: fromArray(result.rows) };
  return { columns, rows: instance.openReader() };
}
