// CSV rows (RFC 4180). NULL is an empty unquoted field, the empty string is `""`, so both round-trip.
import type { OutputColumn, RowWriter, RowWriterOptions } from './row-writer.js';
import { toCellText } from './value-text.js';

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

export function csvField(text: string | null): string {
  if (text === null) return '';
  if (text === '' || NEEDS_QUOTES.test(text)) return `"${text.replace(/"/g, '""')}"`;
  return text;
}

export function csvLine(fields: readonly (string | null)[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

export class CsvWriter implements RowWriter {
  private pending: string[] = [];
  constructor(private readonly opts: RowWriterOptions) {}

  async begin(columns: OutputColumn[]): Promise<void> {
    if (this.opts.header ?? true) await this.opts.sink.write(csvLine(columns.map((c) => c.name)));
  }

  async write(row: readonly unknown[]): Promise<void> {
    this.pending.push(csvLine(row.map((v) => toCellText(v, this.opts))));
    // Batch small writes: one syscall per few hundred rows instead of one per row.
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
