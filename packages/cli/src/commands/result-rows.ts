// The rows of a finished SQL instance: the inline result (up to the service's 10 000-row cap).
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

export async function readInstanceRows(ctx: CommandContext, instance: Instance): Promise<InstanceRows> {
  const result = await instance.getResult();
  if (result.truncated) ctx.note(`warning: the service cut the result at ${result.rows.length} rows; use a LIMIT or 'odps download' of a table`);
  return { columns: result.columns.map((c) => ({ name: c.name, type: c.type })), rows: fromArray(result.rows) };
}
