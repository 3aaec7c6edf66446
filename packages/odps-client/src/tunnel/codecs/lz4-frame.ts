// Streaming LZ4 *frame* format (lz4_Frame_format.md): the container is parsed and written here, each
// block is (de)compressed by lz4-napi's native block codec, so memory stays at about one block.
import { compressSync, uncompressSync } from 'lz4-napi';
import { ByteQueue } from './byte-queue.js';
import { corrupt, truncated } from './codec-errors.js';
import { Xxh32, xxh32 } from './xxh32.js';

const MAGIC = 0x184d2204;
const SKIPPABLE_MIN = 0x184d2a50;
const SKIPPABLE_MAX = 0x184d2a5f;
const LEGACY_MAGIC = 0x184c2102;
/** Block size ids of the BD byte: 4..7 -> 64 KiB, 256 KiB, 1 MiB, 4 MiB. */
const BLOCK_SIZES = [0, 0, 0, 0, 65_536, 262_144, 1_048_576, 4_194_304];
/** Linked blocks may reference this much earlier output. */
const WINDOW = 65_536;
const UNCOMPRESSED_BIT = 0x8000_0000;

const fail = (why: string, cause?: unknown) => corrupt('LZ4 frame', why, cause);

interface FrameState {
  blockMax: number;
  linked: boolean;
  blockChecksum: boolean;
  contentChecksum: Xxh32 | undefined;
  contentSize: number | undefined;
  produced: number;
  /** Last WINDOW bytes of output, for linked blocks. */
  dict: Uint8Array | undefined;
}

/** Parses a frame header at the front of `q` (complete header guaranteed present); undefined = need more. */
function readHeader(q: ByteQueue): FrameState | undefined {
  if (q.length < 7) return undefined;
  const flg = q.peekByte(4);
  const bd = q.peekByte(5);
  if (flg >> 6 !== 1) throw fail(`unsupported frame version ${flg >> 6}`);
  if ((flg & 0x02) !== 0 || (bd & 0x8f) !== 0) throw fail('reserved header bits are set');
  if ((flg & 0x01) !== 0) throw fail('frames with a dictionary id are not supported');
  const hasSize = (flg & 0x08) !== 0;
  const headerLen = 4 + 2 + (hasSize ? 8 : 0) + 1;
  if (q.length < headerLen) return undefined;
  const blockMax = BLOCK_SIZES[(bd >> 4) & 7]!;
  if (blockMax === 0) throw fail(`invalid block maximum size id ${(bd >> 4) & 7}`);
  q.skip(4);
  const desc = q.take(headerLen - 5);
  const hc = q.take(1)[0]!;
  if (((xxh32(desc) >>> 8) & 0xff) !== hc) throw fail('frame header checksum mismatch');
  let contentSize: number | undefined;
  if (hasSize) {
    const lo = desc[2]! | (desc[3]! << 8) | (desc[4]! << 16) | (desc[5]! << 24);
    const hi = desc[6]! | (desc[7]! << 8) | (desc[8]! << 16) | (desc[9]! << 24);
    contentSize = (hi >>> 0) * 0x1_0000_0000 + (lo >>> 0);
  }
  return {
    blockMax,
    linked: (flg & 0x20) === 0,
    blockChecksum: (flg & 0x10) !== 0,
    contentChecksum: (flg & 0x04) !== 0 ? new Xxh32() : undefined,
    contentSize,
    produced: 0,
    dict: undefined,
  };
}

/** `framed` = 4 spare bytes + the stored block, so the native call needs no further copy. */
function decodeBlock(f: FrameState, framed: Uint8Array, raw: boolean): Uint8Array {
  if (raw) return framed.subarray(4);
  // lz4-napi takes "size-prepended" blocks; the size is an upper bound of the output, which keeps a
  // hostile block from growing past the frame's declared block size.
  new DataView(framed.buffer, framed.byteOffset).setUint32(0, f.blockMax, true);
  try {
    return f.linked && f.dict ? uncompressSync(framed, f.dict) : uncompressSync(framed);
  } catch (e) {
    throw fail(`corrupt block (${(e as Error).message})`, e);
  }
}

function remember(f: FrameState, out: Uint8Array): void {
  if (!f.linked) return;
  if (out.byteLength >= WINDOW) {
    f.dict = out.slice(out.byteLength - WINDOW);
    return;
  }
  const prev = f.dict ?? new Uint8Array(0);
  const keep = Math.min(prev.byteLength, WINDOW - out.byteLength);
  const next = new Uint8Array(keep + out.byteLength);
  next.set(prev.subarray(prev.byteLength - keep), 0);
  next.set(out, keep);
  f.dict = next;
}

/**
 * Decodes an LZ4 frame stream (one or more frames, skippable frames ignored) split at any byte
 * boundary. Verifies the header checksum and, when the frame carries them, block and content
 * checksums and the content size.
 */
export async function* decodeLz4Frames(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array, void, undefined> {
  const q = new ByteQueue();
  let frame: FrameState | undefined;
  let skip = 0;
  let sawInput = false;
  for await (const chunk of source) {
    if (chunk.byteLength > 0) sawInput = true;
    q.push(chunk);
    for (;;) {
      if (skip > 0) {
        const k = Math.min(skip, q.length);
        q.skip(k);
        skip -= k;
        if (skip > 0) break;
      }
      if (!frame) {
        if (q.length < 4) break;
        const magic = q.peekU32LE(0);
        if (magic >= SKIPPABLE_MIN && magic <= SKIPPABLE_MAX) {
          if (q.length < 8) break;
          skip = q.peekU32LE(4);
          q.skip(8);
          continue;
        }
        if (magic === LEGACY_MAGIC) throw fail('the legacy LZ4 format is not an LZ4 frame');
        if (magic !== MAGIC) throw fail(`bad magic number 0x${magic.toString(16)}`);
        frame = readHeader(q);
        if (!frame) break;
        continue;
      }
      if (q.length < 4) break;
      const word = q.peekU32LE(0);
      if (word === 0) {
        const tail = frame.contentChecksum ? 4 : 0;
        if (q.length < 4 + tail) break;
        q.skip(4);
        if (frame.contentChecksum) {
          const want = q.take(4);
          const got = frame.contentChecksum.digest();
          if (new DataView(want.buffer).getUint32(0, true) !== got) throw fail('content checksum mismatch');
        }
        if (frame.contentSize !== undefined && frame.contentSize !== frame.produced) {
          throw fail(`the frame declares ${frame.contentSize} bytes but holds ${frame.produced}`);
        }
        frame = undefined;
        continue;
      }
      const raw = (word & UNCOMPRESSED_BIT) !== 0;
      const size = word & 0x7fff_ffff;
      if (size > frame.blockMax) throw fail(`block of ${size} bytes exceeds the frame's ${frame.blockMax}`);
      const need = 4 + size + (frame.blockChecksum ? 4 : 0);
      if (q.length < need) break;
      q.skip(4);
      const framed = q.take(size, new Uint8Array(size + 4), 4);
      if (frame.blockChecksum) {
        const want = new DataView(q.take(4).buffer).getUint32(0, true);
        if (xxh32(framed.subarray(4)) !== want) throw fail('block checksum mismatch');
      }
      const out = decodeBlock(frame, framed, raw);
      frame.produced += out.byteLength;
      frame.contentChecksum?.update(out);
      remember(frame, out);
      if (out.byteLength > 0) yield out;
    }
  }
  if (frame || skip > 0 || (q.length > 0 && sawInput)) throw truncated('LZ4');
}

/** Block size of frames this client writes (BD id 5): large enough to amortise calls, small enough to stream. */
export const LZ4_WRITE_BLOCK = 262_144;

function header(): Uint8Array {
  // Version 01, independent blocks, no checksums or content size (the payload has its own CRCs).
  const h = new Uint8Array([0x04, 0x22, 0x4d, 0x18, 0x60, 0x50, 0]);
  h[6] = (xxh32(h.subarray(4, 6)) >>> 8) & 0xff;
  return h;
}

function encodeBlock(block: Uint8Array): Uint8Array {
  const packed = compressSync(Buffer.from(block.buffer, block.byteOffset, block.byteLength));
  const body = packed.subarray(4);
  const raw = body.byteLength >= block.byteLength;
  const stored = raw ? block : body;
  const out = new Uint8Array(4 + stored.byteLength);
  new DataView(out.buffer).setUint32(0, (stored.byteLength | (raw ? UNCOMPRESSED_BIT : 0)) >>> 0, true);
  out.set(stored, 4);
  return out;
}

/** Encodes the input as one LZ4 frame of independent 256 KiB blocks, one block in memory at a time. */
export async function* encodeLz4Frame(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): AsyncGenerator<Uint8Array, void, undefined> {
  yield header();
  const block = new Uint8Array(LZ4_WRITE_BLOCK);
  let fill = 0;
  for await (const chunk of source) {
    let i = 0;
    while (i < chunk.byteLength) {
      const k = Math.min(LZ4_WRITE_BLOCK - fill, chunk.byteLength - i);
      block.set(chunk.subarray(i, i + k), fill);
      fill += k;
      i += k;
      if (fill === LZ4_WRITE_BLOCK) {
        yield encodeBlock(block);
        fill = 0;
      }
    }
  }
  if (fill > 0) yield encodeBlock(block.subarray(0, fill));
  yield new Uint8Array(4);
}
