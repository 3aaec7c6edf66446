// The interface every row format implements, and the format names the commands accept.
import type { Sink } from './sink.js';
import type { ValueTextOptions } from './value-text.js';

export interface OutputColumn {
  name: string;
  type: string;
}

export interface RowWriter {
  begin(columns: OutputColumn[]): Promise<void>;
  write(row: readonly unknown[]): Promise<void>;
  end(): Promise<void>;
}

export type RowFormat = 'table' | 'vertical' | 'csv' | 'json' | 'ndjson';
export const ROW_FORMATS: readonly RowFormat[] = ['table', 'vertical', 'csv', 'json', 'ndjson'];

export interface RowWriterOptions extends ValueTextOptions {
  sink: Sink;
  /** CSV: write the header row (default true). */
  header?: boolean;
  /** CSV: the field separator (default `,`; a tab for TSV). */
  delimiter?: string;
  /** Table / vertical: fit lines to this many columns (the terminal's width); unlimited when absent. */
  maxWidth?: number;
}

/**
 * A writer that turns each row into one line of text and hands the sink a few hundred lines at a time
 * (one write call per batch instead of one per row).
 */
export abstract class BatchedLineWriter implements RowWriter {
  private pending: string[] = [];
  constructor(protected readonly opts: RowWriterOptions) {}

  abstract begin(columns: OutputColumn[]): Promise<void>;
  /** One row's text, line terminator included. */
  protected abstract line(row: readonly unknown[]): string;

  async write(row: readonly unknown[]): Promise<void> {
    this.pending.push(this.line(row));
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
