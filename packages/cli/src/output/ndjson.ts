// NDJSON: one JSON object per row, keys in column order, values JSON-safe (see value-text.ts).
import { BatchedLineWriter, type OutputColumn, type RowWriterOptions } from './row-writer.js';
import { toJsonText, toJsonValue } from './value-text.js';

export function rowObject(columns: readonly OutputColumn[], row: readonly unknown[], opts: RowWriterOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  columns.forEach((c, i) => {
    out[c.name] = toJsonValue(row[i], opts);
  });
  return out;
}

export class NdjsonWriter extends BatchedLineWriter {
  private columns: OutputColumn[] = [];

  async begin(columns: OutputColumn[]): Promise<void> {
    this.columns = columns;
  }

  protected line(row: readonly unknown[]): string {
    return `${toJsonText(rowObject(this.columns, row, this.opts))}\n`;
  }
}
