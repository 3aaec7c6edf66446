// Tunnel body codecs end to end: Content-Encoding removal + record or Arrow decoding, and the reverse.
import type { RecordBatch } from 'apache-arrow';
import type { RecordColumn } from './records/columns.js';
import { decodeRecordBatches, type Row, type StreamDecodeOptions } from './records/record-decoder.js';
import { encodeRecords, type RecordEncodeOptions } from './records/record-encoder.js';
import { decodeArrowStream, type ArrowReadOptions } from './arrow/reader.js';
import { encodeArrowBatches } from './arrow/writer.js';
import { compressBody, decompressBody, type TunnelCompression } from './compression.js';

/** Download body (record format) -> batches of rows. Decompresses per the response Content-Encoding. */
export function decodeRecordBody(
  body: AsyncIterable<Uint8Array>,
  columns: readonly RecordColumn[],
  opts: StreamDecodeOptions & { contentEncoding?: string | null } = {},
): AsyncGenerator<Row[], void, undefined> {
  return decodeRecordBatches(decompressBody(body, opts.contentEncoding), columns, opts);
}

/** Download body (Arrow format) -> RecordBatches. Decompresses per the response Content-Encoding. */
export function decodeArrowBody(
  body: AsyncIterable<Uint8Array>,
  columns: readonly RecordColumn[],
  opts: ArrowReadOptions & { contentEncoding?: string | null } = {},
): AsyncGenerator<RecordBatch, void, undefined> {
  return decodeArrowStream(decompressBody(body, opts.contentEncoding), columns, opts);
}

/** Rows -> upload body (record format), optionally compressed; send `Content-Encoding: deflate` then. */
export function encodeRecordBody(
  rows: AsyncIterable<readonly unknown[]> | Iterable<readonly unknown[]>,
  columns: readonly RecordColumn[],
  opts: RecordEncodeOptions & { compression?: TunnelCompression } = {},
): AsyncGenerator<Uint8Array, void, undefined> {
  const plain = encodeRecords(rows, columns, opts);
  return opts.compression ? compressBody(plain, opts.compression) : plain;
}

/** RecordBatches -> framed Arrow upload body, optionally compressed. */
export function encodeArrowBody(
  batches: AsyncIterable<RecordBatch> | Iterable<RecordBatch>,
  opts: { chunkSize?: number; compression?: TunnelCompression } = {},
): AsyncGenerator<Uint8Array, void, undefined> {
  const plain = encodeArrowBatches(batches, opts);
  return opts.compression ? compressBody(plain, opts.compression) : plain;
}
