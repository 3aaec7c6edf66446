// NDJSON: one JSON object per row, keys in column order, values JSON-safe (see value-text.ts).
import type { OutputColumn, RowWriter, RowWriterOptions } from './row-writer.js';
import { toJsonValue } from './value-text.js';

export function rowObject(columns: readonly OutputColumn[], row: readonly unknown[], opts: RowWriterOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  columns.forEach((c, i) => {
    out[c.name] = toJsonValue(row[i], opts);
  });
  return out;
}

export class NdjsonWriter implements RowWriter {
  private columns: OutputColumn[] = [];
  private pending: string[] = [];
  constructor(private readonly opts: RowWriterOptions) {}

  async begin(columns: OutputColumn[]): Promise<void> {
    this.columns = columns;
  }

  async write(row: readonly unknown[]): Promise<void> {
    this.pending.push(`${JSON.stringify(rowObject(this.columns, row, this.opts))}\n`);
    if (this.pending.length >= 256) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    await this.opts.sink.write(text);
  }

  async end(): Promise<void> {
    await this.flush();
  }
}
