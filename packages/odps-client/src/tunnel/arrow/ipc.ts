// Arrow IPC message plumbing for the tunnel: schema message bytes and batch-only messages.
import { RecordBatchStreamWriter, Table, tableToIPC, type RecordBatch, type Schema } from 'apache-arrow';
import { TunnelError } from '../../errors.js';

const CONTINUATION = 0xffffffff;

function int32le(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

/** Byte length of the encapsulated message prefix (continuation + length + metadata), or undefined. */
export function messagePrefixLength(bytes: Uint8Array): { headerLength: number; metadataStart: number; metadataLength: number } | undefined {
  if (bytes.byteLength < 4) return undefined;
  let first = int32le(bytes, 0);
  let start = 4;
  if (first === CONTINUATION) {
    if (bytes.byteLength < 8) return undefined;
    first = int32le(bytes, 4);
    start = 8;
  }
  // first is the metadata length (pre-0.15 streams have no continuation marker).
  return { headerLength: start + first, metadataStart: start, metadataLength: first };
}

/** One serialized Schema message (no body, no EOS) for prefixing a batch-only payload. */
export function schemaMessageBytes(schema: Schema): Uint8Array {
  const ipc = tableToIPC(new Table(schema), 'stream');
  const p = messagePrefixLength(ipc);
  if (!p) throw new TunnelError('apache-arrow produced no schema message', { code: 'ArrowError' });
  return ipc.subarray(0, p.headerLength);
}

/** The IPC RecordBatch message(s) of one batch, without the schema message and EOS. */
export function recordBatchMessages(batch: RecordBatch): Uint8Array {
  for (const f of batch.schema.fields) {
    if (f.type.typeId === -1) throw new TunnelError(`column "${f.name}": dictionary-encoded columns cannot be uploaded`, { code: 'ArrowError' });
  }
  const ipc = RecordBatchStreamWriter.writeAll([batch]).toUint8Array(true);
  const p = messagePrefixLength(ipc);
  if (!p) throw new TunnelError('apache-arrow produced no schema message', { code: 'ArrowError' });
  let end = ipc.byteLength;
  // Drop the 8-byte end-of-stream marker FF FF FF FF 00 00 00 00.
  if (end - p.headerLength >= 8 && int32le(ipc, end - 8) === CONTINUATION && int32le(ipc, end - 4) === 0) end -= 8;
  return ipc.subarray(p.headerLength, end);
}
