// Picks the RowWriter for a format name.
import { CsvWriter } from './csv.js';
import { JsonWriter } from './json.js';
import { NdjsonWriter } from './ndjson.js';
import type { RowFormat, RowWriter, RowWriterOptions } from './row-writer.js';
import { TableWriter } from './table.js';
import { VerticalWriter } from './vertical.js';

export function rowWriter(format: RowFormat, opts: RowWriterOptions): RowWriter {
  switch (format) {
    case 'csv':
      return new CsvWriter(opts);
    case 'json':
      return new JsonWriter(opts);
    case 'ndjson':
      return new NdjsonWriter(opts);
    case 'table':
      return new TableWriter(opts);
    case 'vertical':
      return new VerticalWriter(opts);
  }
}
