// JSON: one array of row objects, streamed element by element (never the whole result in memory).
import { rowObject } from './ndjson.js';
import { toJsonText } from './value-text.js';
import type { OutputColumn, RowWriter, RowWriterOptions } from './row-writer.js';

export class JsonWriter implements RowWriter {
  private columns: OutputColumn[] = [];
  private count = 0;
  constructor(private readonly opts: RowWriterOptions) {}

  async begin(columns: OutputColumn[]): Promise<void> {
    this.columns = columns;
    await this.opts.sink.write('[');
  }

  async write(row: readonly unknown[]): Promise<void> {
    const sep = this.count++ === 0 ? '\n' : ',\n';
    await this.opts.sink.write(sep + toJsonText(rowObject(this.columns, row, this.opts)));
  }

  async end(): Promise<void> {
    await this.opts.sink.write(this.count === 0 ? ']\n' : '\n]\n');
  }
}
