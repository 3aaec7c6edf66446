// Zstandard bodies: streaming decode with fzstd (pure JS), encode with @mongodb-js/zstd (native, prebuilt).
import { compress } from '@mongodb-js/zstd';
import { Decompress } from 'fzstd';
import { corrupt, truncated } from './codec-errors.js';

/** Input is fed to the decoder in slices this big so one slice cannot expand into an unbounded burst. */
const SLICE = 16_384;

/**
 * Decodes a zstd stream (one or more frames) split at any byte boundary. Output is handed on as the
 * decoder produces it; `maxBytes` (when set) stops a body that inflates past it.
 */
export async function* decodeZstd(source: AsyncIterable<Uint8Array>, maxBytes = Infinity): AsyncGenerator<Uint8Array, void, undefined> {
  let out: Uint8Array[] = [];
  let total = 0;
  const d = new Decompress((data) => {
    total += data.byteLength;
    if (total > maxBytes) throw corrupt('zstd', `the body inflates past ${maxBytes} bytes`);
    // fzstd may reuse its window buffer for later output: keep a copy.
    out.push(data.slice());
  });
  let sawInput = false;
  const feed = (part: Uint8Array, final: boolean): void => {
    try {
      d.push(part, final);
    } catch (e) {
      if ((e as { code?: unknown }).code === 5) throw truncated('zstd');
      if (e instanceof Error && e.name === 'TunnelError') throw e;
      throw corrupt('zstd', (e as Error).message, e);
    }
  };
  for await (const chunk of source) {
    if (chunk.byteLength === 0) continue;
    sawInput = true;
    for (let i = 0; i < chunk.byteLength; i += SLICE) {
      feed(chunk.subarray(i, Math.min(chunk.byteLength, i + SLICE)), false);
      if (out.length > 0) {
        const ready = out;
        out = [];
        yield* ready;
      }
    }
  }
  if (!sawInput) return;
  feed(new Uint8Array(0), true);
  yield* out;
}

export interface ZstdEncodeOptions {
  /** Compression level (default 3, zstd's own default and what PyODPS's zstandard uses). */
  level?: number;
  /**
   * Start a new frame after this many input bytes (default: one frame for the whole body). A stream of
   * several frames is valid zstd; one frame is what the SDKs send.
   */
  frameBytes?: number;
}

async function frame(parts: Uint8Array[], size: number, level: number): Promise<Uint8Array> {
  const whole = Buffer.allocUnsafe(size);
  let at = 0;
  for (const p of parts) {
    whole.set(p, at);
    at += p.byteLength;
  }
  return compress(whole, level);
}

/** Encodes the input as zstd frames; the input of one frame is held in memory while it is compressed. */
export async function* encodeZstd(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, opts: ZstdEncodeOptions = {}): AsyncGenerator<Uint8Array, void, undefined> {
  const level = opts.level ?? 3;
  const limit = opts.frameBytes ?? Infinity;
  let parts: Uint8Array[] = [];
  let size = 0;
  let frames = 0;
  for await (const chunk of source) {
    if (chunk.byteLength === 0) continue;
    parts.push(chunk);
    size += chunk.byteLength;
    if (size >= limit) {
      const f = await frame(parts, size, level);
      parts = [];
      size = 0;
      frames++;
      yield f;
    }
  }
  if (size > 0 || frames === 0) yield await frame(parts, size, level);
}
