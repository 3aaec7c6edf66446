// Public surface of the tunnel record codec.
export { RecordStreamDecoder, decodeRecordStream, decodeRecords, decodeRecordBatches } from './record-decoder.js';
export type { Row, RecordDecodeOptions, StreamDecodeOptions, StreamFooter } from './record-decoder.js';
export { RecordStreamEncoder, encodeRecordStream, encodeRecords } from './record-encoder.js';
export type { RecordEncodeOptions } from './record-encoder.js';
export type { RecordColumn } from './columns.js';
export { crc32c, crc32cUpdate } from './crc32c.js';
