// Download bodies in the record ("protobuf") format (tunnel.md §3.2–3.6), encoded chunk by chunk.
import { crc32c } from '@node-rs/crc32';
import { RecordStreamEncoder, type RecordColumn } from '@odps-ts/odps-client';
import type { BodySink } from './body-sink.js';
import { rangeChunks } from './range-chunks.js';
import type { RowSource } from './row-source.js';
import { serverMetricsJson } from './server-metrics.js';

const CHUNK_BYTES = 64 * 1024;
// Tags of the metrics trailer (tunnel.md §3.2 table): field 1 wire type 2, and END_METRICS.
const METRICS_FIELD_TAG = Uint8Array.of(0x0a);
const END_METRICS_TAG = Uint8Array.of(0x80, 0xf0, 0xff, 0x7f);
const META_COUNT_TAG = [0xf0, 0xff, 0xff, 0x7f];

function varint32(value: number): Uint8Array {
  const out: number[] = [];
  let v = value >>> 0;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return Uint8Array.from(out);
}

/**
 * The metrics block inserted between META_COUNT and META_CHECKSUM for version-6 readers:
 * tag(1, LENGTH_DELIMITED) bytes(json), END_METRICS uint32varint(CRC32C(int32LE(1) ‖ json)).
 */
export function metricsTrailer(json: string): Uint8Array {
  const text = Buffer.from(json, 'utf8');
  const fieldNumber = Buffer.alloc(4);
  fieldNumber.writeInt32LE(1, 0);
  const crc = crc32c(Buffer.concat([fieldNumber, text]));
  return Buffer.concat([METRICS_FIELD_TAG, varint32(text.length), text, END_METRICS_TAG, varint32(crc)]);
}

/** Splits the encoder's footer (META_COUNT zigzag, META_CHECKSUM crc) after the count. */
function splitFooter(footer: Uint8Array): [Uint8Array, Uint8Array] {
  if (!META_COUNT_TAG.every((b, i) => footer[i] === b)) throw new Error('record encoder footer does not start with META_COUNT');
  let p = 4;
  while (p < footer.length && (footer[p]! & 0x80) !== 0) p++;
  p++;
  return [footer.subarray(0, p), footer.subarray(p)];
}

export interface RecordBodyInput {
  /** Stream columns in the requested order. */
  columns: readonly RecordColumn[];
  source: RowSource;
  /** Indexes into the session's data columns, in stream column order. */
  projection: readonly number[];
  start: number;
  count: number;
  /** Emit the metrics trailer (tunnel version 6 only, tunnel.md §3.6). */
  withMetrics: boolean;
  /** `metricsStart()` when the request began. */
  startedAt: number;
}

export async function writeRecordBody(sink: BodySink, input: RecordBodyInput): Promise<void> {
  const encoder = new RecordStreamEncoder(input.columns, { chunkSize: CHUNK_BYTES });
  for await (const rows of rangeChunks(input.source, input.start, input.count, input.projection)) {
    for (const row of rows) {
      const chunk = encoder.write(row);
      if (chunk) await sink.write(chunk);
    }
  }
  const rest = encoder.flush();
  if (rest) await sink.write(rest);
  const footer = encoder.finish();
  if (!input.withMetrics) {
    await sink.write(footer);
    return;
  }
  const [countPart, checksumPart] = splitFooter(footer);
  await sink.write(Buffer.concat([countPart, metricsTrailer(serverMetricsJson(input.startedAt)), checksumPart]));
}
