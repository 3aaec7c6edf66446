// Stream upload (auto-commit micro-batches): session, writer and their typed errors.
export { TableStreamSession, type StreamSessionOptions, type StreamFlushOptions, type StreamSlot } from './stream-session.js';
export { StreamRecordWriter, DEFAULT_FLUSH_BYTES, type StreamWriterOptions } from './stream-writer.js';
export { StreamFlushUncertainError } from './stream-errors.js';
