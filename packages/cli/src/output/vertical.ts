// `--vertical` (`-x`, psql's `\x`): one "column | value" block per row, for rows too wide for a table.
import { displayWidth, pad, singleLine, truncate } from './cell-width.js';
import type { OutputColumn, RowWriter, RowWriterOptions } from './row-writer.js';
import { toCellText } from './value-text.js';

/** Lines handed to the sink per write. */
const BATCH_LINES = 256;

export class VerticalWriter implements RowWriter {
  private names: string[] = [];
  private nameWidth = 0;
  private pending: string[] = [];
  private count = 0;
  constructor(private readonly opts: RowWriterOptions) {}

  async begin(columns: OutputColumn[]): Promise<void> {
    this.names = columns.map((c) => singleLine(c.name));
    this.nameWidth = Math.max(0, ...this.names.map(displayWidth));
  }

  async write(row: readonly unknown[]): Promise<void> {
    this.count++;
    const title = `-[ RECORD ${this.count} ]`;
    const max = this.opts.maxWidth;
    this.pending.push(`${title}${'-'.repeat(Math.max(0, Math.min(max ?? 40, 40) - title.length))}\n`);
    // Values get what the terminal has left after "name | "; without a terminal they are whole.
    const room = max === undefined ? undefined : Math.max(4, max - this.nameWidth - 3);
    for (let i = 0; i < this.names.length; i++) {
      const text = toCellText(row[i], this.opts);
      const value = text === null ? 'NULL' : singleLine(text);
      this.pending.push(`${pad(this.names[i]!, this.nameWidth, false)} | ${room === undefined ? value : truncate(value, room)}\n`);
    }
    if (this.pending.length >= BATCH_LINES) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    await this.opts.sink.write(text);
  }

  async end(): Promise<void> {
    this.pending.push(`${this.count} row${this.count === 1 ? '' : 's'}\n`);
    await this.flush();
  }
}
