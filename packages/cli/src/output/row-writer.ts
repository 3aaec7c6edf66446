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

export type RowFormat = 'table' | 'csv' | 'json' | 'ndjson';
export const ROW_FORMATS: readonly RowFormat[] = ['table', 'csv', 'json', 'ndjson'];

export interface RowWriterOptions extends ValueTextOptions {
  sink: Sink;
  /** CSV: write the header row (default true). */
  header?: boolean;
}
