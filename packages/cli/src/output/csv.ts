// CSV rows (RFC 4180). NULL is an empty unquoted field, the empty string is `""`, so both round-trip.
import { BatchedLineWriter, type OutputColumn } from './row-writer.js';
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

export class CsvWriter extends BatchedLineWriter {
  async begin(columns: OutputColumn[]): Promise<void> {
    if (this.opts.header ?? true) await this.opts.sink.write(csvLine(columns.map((c) => c.name)));
  }

  protected line(row: readonly unknown[]): string {
    return csvLine(row.map((v) => toCellText(v, this.opts)));
  }
}
