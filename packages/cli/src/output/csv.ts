// CSV rows (RFC 4180). NULL is an empty unquoted field, the empty string is `""`, so both round-trip.
// `--delimiter` swaps the comma for another character (a tab for TSV); quoting rules stay the same.
import { BatchedLineWriter, type OutputColumn } from './row-writer.js';
import { toCellText } from './value-text.js';

const COMMA_NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

function needsQuotes(delimiter: string): RegExp {
  if (delimiter === ',') return COMMA_NEEDS_QUOTES;
  const d = delimiter.replace(/[\\\]^-]/g, (c) => `\\${c}`);
  return new RegExp(`["\\r\\n${d}]|^\\s|\\s$`);
}

function quote(text: string | null, needs: RegExp): string {
  if (text === null) return '';
  if (text === '' || needs.test(text)) return `"${text.replace(/"/g, '""')}"`;
  return text;
}

export function csvField(text: string | null, delimiter = ','): string {
  return quote(text, needsQuotes(delimiter));
}

export function csvLine(fields: readonly (string | null)[], delimiter = ','): string {
  const needs = needsQuotes(delimiter);
  return `${fields.map((f) => quote(f, needs)).join(delimiter)}\r\n`;
}

export class CsvWriter extends BatchedLineWriter {
  async begin(columns: OutputColumn[]): Promise<void> {
    if (this.opts.header ?? true) await this.opts.sink.write(csvLine(columns.map((c) => c.name), this.opts.delimiter));
  }

  protected line(row: readonly unknown[]): string {
    return csvLine(row.map((v) => toCellText(v, this.opts)), this.opts.delimiter);
  }
}
