// The RecordBatch message metadata, parsed with bounds checks before apache-arrow sees it (Message.fbs).
import { FlatbufferView } from './flatbuffer-view.js';
import { malformedArrow } from './malformed.js';

/** What apache-arrow will trust from one RecordBatch message: lengths and body regions. */
export interface BatchHeader {
  /** Body bytes following the metadata. */
  bodyLength: number;
  /** Rows in the batch (RecordBatch.length). */
  length: number;
  /** FieldNode lengths and null counts, depth-first in schema order. */
  nodeLengths: number[];
  nodeNullCounts: number[];
  /** Buffer regions relative to the body start. */
  bufferOffsets: number[];
  bufferLengths: number[];
}

// MessageHeader union tags and MetadataVersion values (Message.fbs / Schema.fbs).
const HEADER_NAMES = ['none', 'Schema', 'DictionaryBatch', 'RecordBatch', 'Tensor', 'SparseTensor'];
const RECORD_BATCH = 3;
const V4 = 3;
const V5 = 4;

/**
 * Parses the flatbuffer metadata of one encapsulated message. Only a RecordBatch is accepted (the
 * tunnel payload has no schema, dictionaries or buffer compression); its version must
 * be V4 or V5 (older versions lay buffers out differently). Every vector apache-arrow will walk
 * (nodes, buffers, variadic counts, custom metadata) is proven to fit in the metadata bytes first, so
 * a corrupt length field cannot make it loop over billions of entries.
 */
export function parseBatchHeader(meta: Uint8Array): BatchHeader {
  const fb = new FlatbufferView(meta);
  const msg = fb.root();
  const versionAt = fb.field(msg, 0, 'Message');
  const version = versionAt ? fb.i16(versionAt, 'Message.version') : 0;
  const typeAt = fb.field(msg, 1, 'Message');
  const headerType = typeAt ? fb.u8(typeAt, 'Message.header_type') : 0;
  if (headerType !== RECORD_BATCH) {
    throw malformedArrow(`expected a RecordBatch message, got ${HEADER_NAMES[headerType] ?? `header type ${headerType}`}`);
  }
  if (version !== V4 && version !== V5) throw malformedArrow(`unsupported metadata version ${version + 1} (need V4 or V5)`);
  const headerAt = fb.field(msg, 2, 'Message');
  if (!headerAt) throw malformedArrow('RecordBatch message without its header');
  const bodyAt = fb.field(msg, 3, 'Message');
  const bodyLength = bodyAt ? fb.i64(bodyAt, 'Message.bodyLength') : 0;
  if (bodyLength < 0) throw malformedArrow(`negative body length ${bodyLength}`);
  const customAt = fb.field(msg, 4, 'Message');
  if (customAt) checkKeyValues(fb, customAt);

  const rb = fb.table(headerAt, 'RecordBatch');
  const lengthAt = fb.field(rb, 0, 'RecordBatch');
  const length = lengthAt ? fb.i64(lengthAt, 'RecordBatch.length') : 0;
  const nodeLengths: number[] = [];
  const nodeNullCounts: number[] = [];
  const nodesAt = fb.field(rb, 1, 'RecordBatch');
  if (nodesAt) {
    const v = fb.vector(nodesAt, 16, 'RecordBatch.nodes');
    for (let i = 0; i < v.count; i++) {
      nodeLengths.push(fb.i64(v.start + 16 * i, 'FieldNode.length'));
      nodeNullCounts.push(fb.i64(v.start + 16 * i + 8, 'FieldNode.null_count'));
    }
  }
  const bufferOffsets: number[] = [];
  const bufferLengths: number[] = [];
  const buffersAt = fb.field(rb, 2, 'RecordBatch');
  if (buffersAt) {
    const v = fb.vector(buffersAt, 16, 'RecordBatch.buffers');
    for (let i = 0; i < v.count; i++) {
      bufferOffsets.push(fb.i64(v.start + 16 * i, 'Buffer.offset'));
      bufferLengths.push(fb.i64(v.start + 16 * i + 8, 'Buffer.length'));
    }
  }
  if (fb.field(rb, 3, 'RecordBatch')) throw malformedArrow('IPC buffer compression is not used by the tunnel (tunnel.md §4.3)');
  const variadicAt = fb.field(rb, 4, 'RecordBatch');
  if (variadicAt) {
    const v = fb.vector(variadicAt, 8, 'RecordBatch.variadicBufferCounts');
    for (let i = 0; i < v.count; i++) fb.i64(v.start + 8 * i, 'variadic buffer count');
  }
  return { bodyLength, length, nodeLengths, nodeNullCounts, bufferOffsets, bufferLengths };
}

/** custom_metadata: a vector of KeyValue tables with optional key and value strings. */
function checkKeyValues(fb: FlatbufferView, at: number): void {
  const v = fb.vector(at, 4, 'Message.custom_metadata');
  for (let i = 0; i < v.count; i++) {
    const kv = fb.table(v.start + 4 * i, 'KeyValue');
    const key = fb.field(kv, 0, 'KeyValue');
    if (key) fb.string(key, 'KeyValue.key');
    const value = fb.field(kv, 1, 'KeyValue');
    if (value) fb.string(value, 'KeyValue.value');
  }
}
