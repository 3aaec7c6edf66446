// Arrow tunnel HTTP body framing (tunnel.md §4.2): u32be chunkSize, chunks + u32be CRC32C, global CRC.
import { crc32c as nativeCrc32c } from '@node-rs/crc32';
import { ChecksumError, TunnelError } from '../../errors.js';

export const DEFAULT_ARROW_CHUNK_SIZE = 65536;
// Refuse absurd headers instead of allocating them (a corrupt or non-Arrow body).
const MAX_CHUNK_SIZE = 256 * 1024 * 1024;

function crc(buf: Uint8Array, initial = 0): number {
  return buf.byteLength === 0 ? initial : nativeCrc32c(buf as Buffer, initial);
}

function u32be(v: number): Uint8Array {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32BE(v >>> 0, 0);
  return b;
}

/**
 * Frames payload bytes. Chunk boundaries depend only on byte counts, never on how writes were split.
 * `write` returns framed bytes ready to send (possibly empty); `finish` the tail plus the global CRC.
 * With no payload at all, `finish` returns an empty body (as Java does); do not upload such a block.
 */
export class ArrowFrameEncoder {
  private chunk: Buffer;
  private fill = 0;
  private globalCrc = 0;
  private started = false;
  private total = 0;

  constructor(readonly chunkSize = DEFAULT_ARROW_CHUNK_SIZE) {
    if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) throw new RangeError('bad Arrow chunk size');
    this.chunk = Buffer.allocUnsafe(chunkSize);
  }

  /** Payload bytes written so far. */
  get payloadBytes(): number {
    return this.total;
  }

  write(payload: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    if (payload.byteLength === 0) return out;
    if (!this.started) {
      this.started = true;
      out.push(u32be(this.chunkSize));
    }
    this.total += payload.byteLength;
    let p = 0;
    while (p < payload.byteLength) {
      const n = Math.min(this.chunkSize - this.fill, payload.byteLength - p);
      if (this.fill === 0 && n === this.chunkSize) {
        // A whole chunk straight from the input: no copy.
        const piece = payload.subarray(p, p + n);
        this.globalCrc = crc(piece, this.globalCrc);
        out.push(piece, u32be(crc(piece)));
      } else {
        this.chunk.set(payload.subarray(p, p + n), this.fill);
        this.fill += n;
        if (this.fill === this.chunkSize) {
          // Hand the filled buffer out and start a new one (no second copy of the chunk).
          const piece = this.chunk;
          this.chunk = Buffer.allocUnsafe(this.chunkSize);
          this.globalCrc = crc(piece, this.globalCrc);
          out.push(piece, u32be(crc(piece)));
          this.fill = 0;
        }
      }
      p += n;
    }
    return out;
  }

  finish(): Uint8Array[] {
    if (!this.started) return [];
    const tail = Buffer.from(this.chunk.subarray(0, this.fill));
    this.globalCrc = crc(tail, this.globalCrc);
    this.fill = 0;
    return [tail, u32be(this.globalCrc)];
  }
}

/** Frames a whole payload in memory. */
export function frameArrowPayload(payload: Uint8Array, chunkSize = DEFAULT_ARROW_CHUNK_SIZE): Uint8Array {
  const enc = new ArrowFrameEncoder(chunkSize);
  return Buffer.concat([...enc.write(payload), ...enc.finish()]);
}

function frameError(message: string, code = 'CorruptArrowFrame'): TunnelError {
  return new TunnelError(`Arrow body framing: ${message}`, { code });
}

/**
 * Removes the framing: `push` returns verified payload pieces, `end` verifies the final piece and the
 * global CRC. A 0-byte body is no rows; so is a bare 4-byte zero CRC (PyODPS's empty writer).
 */
export class ArrowFrameDecoder {
  private header: Buffer | undefined = Buffer.alloc(0);
  private chunkSize = 0;
  private buf: Buffer = Buffer.alloc(0);
  private fill = 0;
  private globalCrc = 0;
  private chunkIndex = 0;
  private ended = false;

  push(data: Uint8Array): Uint8Array[] {
    if (this.ended) throw frameError('data after the end');
    const out: Uint8Array[] = [];
    let p = 0;
    if (this.header !== undefined) {
      const need = 4 - this.header.length;
      this.header = Buffer.concat([this.header, data.subarray(0, need)]);
      p = Math.min(need, data.byteLength);
      if (this.header.length < 4) return out;
      this.chunkSize = this.header.readUInt32BE(0);
      this.header = undefined;
      if (this.chunkSize > MAX_CHUNK_SIZE) throw frameError(`invalid chunk size ${this.chunkSize}`);
      this.buf = Buffer.allocUnsafe(this.chunkSize + 4);
    }
    // A zero "chunk size" can only be PyODPS's empty body (a bare CRC of nothing); nothing may follow.
    if (this.chunkSize === 0 && p < data.byteLength) throw frameError('invalid chunk size 0');
    const full = this.chunkSize + 4;
    while (p < data.byteLength) {
      const n = Math.min(full - this.fill, data.byteLength - p);
      this.buf.set(data.subarray(p, p + n), this.fill);
      this.fill += n;
      p += n;
      if (this.fill === full) {
        // chunkSize+4 bytes can only be a full chunk and its CRC: the final piece is at most chunkSize+3.
        const piece = this.buf.subarray(0, this.chunkSize);
        const expected = this.buf.readUInt32BE(this.chunkSize);
        if (crc(piece) !== expected) {
          throw new ChecksumError(`Arrow chunk ${this.chunkIndex} checksum mismatch`, { recordIndex: this.chunkIndex });
        }
        this.globalCrc = crc(piece, this.globalCrc);
        this.chunkIndex++;
        out.push(piece);
        this.buf = Buffer.allocUnsafe(full);
        this.fill = 0;
      }
    }
    return out;
  }

  end(): Uint8Array[] {
    if (this.ended) return [];
    this.ended = true;
    if (this.header !== undefined) {
      if (this.header.length === 0) return [];
      throw frameError('body ended inside the chunk-size header', 'TruncatedStream');
    }
    if (this.chunkSize === 0) return [];
    if (this.fill < 4) throw frameError('body ended without the final checksum', 'TruncatedStream');
    const piece = this.buf.subarray(0, this.fill - 4);
    const expected = this.buf.readUInt32BE(this.fill - 4);
    this.globalCrc = crc(piece, this.globalCrc);
    if (this.globalCrc !== expected) {
      throw new ChecksumError('Arrow body checksum mismatch (final checksum; the body may be truncated)');
    }
    return piece.byteLength > 0 ? [piece] : [];
  }
}

/** Async de-framer: framed body chunks in, verified payload chunks out (pull-based). */
export async function* deframeArrowBody(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array, void, undefined> {
  const d = new ArrowFrameDecoder();
  for await (const chunk of source) yield* d.push(chunk);
  yield* d.end();
}

/** Async framer: payload chunks in, framed body chunks out. */
export async function* frameArrowBody(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  chunkSize = DEFAULT_ARROW_CHUNK_SIZE,
): AsyncGenerator<Uint8Array, void, undefined> {
  const e = new ArrowFrameEncoder(chunkSize);
  for await (const chunk of source) yield* e.write(chunk);
  yield* e.finish();
}
