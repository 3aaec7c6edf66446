// Public surface of the Arrow tunnel format: framing, schema mapping, batch decode/encode, row view.
export { ArrowFrameEncoder, ArrowFrameDecoder, frameArrowPayload, frameArrowBody, deframeArrowBody, DEFAULT_ARROW_CHUNK_SIZE } from './framing.js';
export { arrowTypeFor, arrowSchemaFor, fieldNodeCount } from './schema.js';
export type { ArrowSchemaOptions } from './schema.js';
export { schemaMessageBytes, recordBatchMessages } from './ipc.js';
export { decodeArrowStream, decodeArrowPayload } from './reader.js';
export type { ArrowReadOptions } from './reader.js';
export { encodeArrowBatches } from './writer.js';
export { arrowBatchToRows } from './to-rows.js';
export type { ArrowRowsOptions } from './to-rows.js';
