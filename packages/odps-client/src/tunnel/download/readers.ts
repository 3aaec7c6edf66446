// Reader objects returned by download sessions: async iterables of rows or Arrow RecordBatches.
import type { RecordBatch } from 'apache-arrow';
import type { Column } from '../../types/column.js';
import { flattenBatches } from '../records/flatten-batches.js';
import type { Row } from '../records/record-decoder.js';

export interface RecordReader<R = Row> extends AsyncIterable<R> {
  /** Output columns, in row order. */
  readonly columns: readonly Column[];
  /** First row of the range. */
  readonly start: number;
  /** Rows this reader yields. */
  readonly count: number;
  /** The same rows in decoded batches (one per body chunk), cheaper than row-at-a-time. */
  batches(): AsyncIterable<R[]>;
}

export interface ArrowReader extends AsyncIterable<RecordBatch> {
  readonly columns: readonly Column[];
  readonly start: number;
  readonly count: number;
}

export function makeRecordReader<R>(columns: readonly Column[], start: number, count: number, batches: () => AsyncIterable<R[]>): RecordReader<R> {
  return {
    columns, start, count, batches,
    [Symbol.asyncIterator]: () => flattenBatches(batches),
  };
}
