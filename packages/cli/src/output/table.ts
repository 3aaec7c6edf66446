// Human-readable boxed tables (cli-table3) for TTY output; NULL shows as "NULL".
import Table from 'cli-table3';
import type { OutputColumn, RowWriter, RowWriterOptions } from './row-writer.js';
import { toCellText } from './value-text.js';

/** Cells longer than this are cut with an ellipsis so one wide value cannot wreck the layout. */
const MAX_CELL = 120;

export function cell(text: string | null): string {
  if (text === null) return 'NULL';
  return text.length > MAX_CELL ? `${text.slice(0, MAX_CELL - 1)}…` : text;
}

export function renderTable(head: string[], rows: (string | null)[][]): string {
  const t = new Table({ head, style: { head: [], border: [], compact: true } });
  for (const r of rows) t.push(r.map(cell));
  return `${t.toString()}\n`;
}

export class TableWriter implements RowWriter {
  private head: string[] = [];
  private rows: (string | null)[][] = [];
  constructor(private readonly opts: RowWriterOptions) {}

  async begin(columns: OutputColumn[]): Promise<void> {
    this.head = columns.map((c) => c.name);
  }

  async write(row: readonly unknown[]): Promise<void> {
    this.rows.push(row.map((v) => toCellText(v, this.opts)));
  }

  async end(): Promise<void> {
    await this.opts.sink.write(renderTable(this.head, this.rows));
    await this.opts.sink.write(`${this.rows.length} row${this.rows.length === 1 ? '' : 's'}\n`);
  }
}
