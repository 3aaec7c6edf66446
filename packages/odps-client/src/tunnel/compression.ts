// HTTP-level tunnel compression (tunnel.md §5): deflate via node:zlib, LZ4 frame and zstd via codecs/.
import { Readable, type Transform } from 'node:stream';
import zlib from 'node:zlib';
import { OdpsArgumentError, TunnelError } from '../errors.js';
import { decodeLz4Frames, encodeLz4Frame } from './codecs/lz4-frame.js';
import { decodeZstd, encodeZstd } from './codecs/zstd.js';

/** A codec this client can send and receive. 'none' sends the body as it is. */
export type TunnelCompression = 'none' | 'deflate' | 'lz4' | 'zstd';

/** How callers choose a codec: `true` means deflate (the SDKs' default), `false` none. */
export type CompressOption = boolean | TunnelCompression;

const CODECS: readonly TunnelCompression[] = ['none', 'deflate', 'lz4', 'zstd'];

/** Resolves a `compress` option, refusing unknown names. */
export function resolveCompression(option: CompressOption | undefined): TunnelCompression {
  if (option === undefined || option === false) return 'none';
  if (option === true) return 'deflate';
  if (typeof option === 'string' && (CODECS as readonly string[]).includes(option)) return option;
  throw new OdpsArgumentError(`compress must be a boolean or one of ${CODECS.join(', ')}, got ${JSON.stringify(option)}`);
}

/**
 * The header value naming a codec: `Accept-Encoding` on downloads, `Content-Encoding` on uploads.
 * LZ4 is `x-lz4-frame` for the record format and `x-odps-lz4-frame` for Arrow (Java both ways, PyODPS
 * on Arrow uploads); undefined for 'none'.
 */
export function encodingHeader(compression: TunnelCompression, arrow = false): string | undefined {
  switch (compression) {
    case 'none': return undefined;
    case 'deflate': return 'deflate';
    case 'zstd': return 'zstd';
    case 'lz4': return arrow ? 'x-odps-lz4-frame' : 'x-lz4-frame';
  }
}

/** A response Content-Encoding as this client names it after normalising. */
export type Decoded = 'identity' | 'deflate' | 'gzip' | 'lz4' | 'zstd';

/** The Content-Encoding values a response may carry and how this client treats them (case-insensitive). */
export function normalizeEncoding(contentEncoding: string | undefined | null): Decoded {
  const e = (contentEncoding ?? '').trim().toLowerCase();
  switch (e) {
    case '': case 'identity': return 'identity';
    case 'deflate': return 'deflate';
    case 'gzip': case 'x-gzip': return 'gzip';
    // PyODPS also accepts `lz4_frame`; MaxStorage spells it `LZ4_FRAME`.
    case 'x-lz4-frame': case 'x-odps-lz4-frame': case 'lz4_frame': case 'lz4-frame': return 'lz4';
    case 'zstd': return 'zstd';
    default:
      throw new TunnelError(`unsupported tunnel Content-Encoding "${e.slice(0, 40)}" (supported: deflate, x-lz4-frame, x-odps-lz4-frame, zstd)`, { code: 'UnsupportedEncoding' });
  }
}

async function* through(source: AsyncIterable<Uint8Array>, t: Transform): AsyncGenerator<Uint8Array, void, undefined> {
  const input = Readable.from(source, { objectMode: false });
  input.on('error', (e) => t.destroy(e));
  input.pipe(t);
  try {
    for await (const chunk of t) yield chunk as Uint8Array;
  } catch (e) {
    if (e instanceof TunnelError) throw e;
    throw new TunnelError(`tunnel body decompression failed: ${(e as Error).message}`, { code: 'DecompressionError', cause: e });
  } finally {
    input.destroy();
    t.destroy();
  }
}

async function* inflate(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array, void, undefined> {
  // Peek at the first byte: a zlib header has compression method 8 in its low nibble.
  const it = source[Symbol.asyncIterator]();
  let first = await it.next();
  while (!first.done && first.value.byteLength === 0) first = await it.next();
  if (first.done) return;
  const head = first.value;
  const raw = (head[0]! & 0x0f) !== 8;
  async function* rest(): AsyncGenerator<Uint8Array> {
    yield head;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  yield* through(rest(), raw ? zlib.createInflateRaw() : zlib.createInflate());
}

export interface DecompressOptions {
  /** Stop a body that inflates past this many bytes (zstd only; LZ4 blocks are bounded by their header). */
  maxBytes?: number;
}

/**
 * Removes the response's Content-Encoding, streaming with about one block in memory. 'deflate' is
 * zlib-wrapped (RFC 1950) per the protocol; a raw deflate stream is accepted too.
 */
export async function* decompressBody(
  source: AsyncIterable<Uint8Array>,
  contentEncoding: string | undefined | null,
  opts: DecompressOptions = {},
): AsyncGenerator<Uint8Array, void, undefined> {
  switch (normalizeEncoding(contentEncoding)) {
    case 'identity': yield* source; return;
    case 'gzip': yield* through(source, zlib.createGunzip()); return;
    case 'deflate': yield* inflate(source); return;
    case 'lz4': yield* decodeLz4Frames(source); return;
    case 'zstd': yield* decodeZstd(source, opts.maxBytes); return;
  }
}

export interface CompressOptions {
  /** Codec level: deflate 0-9 (default 1, as Java and PyODPS), zstd 1-22 (default 3); LZ4 has none. */
  level?: number;
  /** zstd only: start a new frame after this many input bytes (default: one frame per body). */
  frameBytes?: number;
}

/** Compresses an upload body, streaming; pair it with `Content-Encoding: encodingHeader(compression, arrow)`. */
export function compressBody(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  compression: TunnelCompression = 'deflate',
  levelOrOptions: number | CompressOptions = {},
): AsyncGenerator<Uint8Array, void, undefined> {
  const opts = typeof levelOrOptions === 'number' ? { level: levelOrOptions } : levelOrOptions;
  switch (compression) {
    case 'none': return (async function* () { yield* source; })();
    case 'deflate': return through((async function* () { yield* source; })(), zlib.createDeflate({ level: opts.level ?? 1 }));
    case 'lz4': return encodeLz4Frame(source);
    case 'zstd': {
      const z: { level?: number; frameBytes?: number } = {};
      if (opts.level !== undefined) z.level = opts.level;
      if (opts.frameBytes !== undefined) z.frameBytes = opts.frameBytes;
      return encodeZstd(source, z);
    }
    default: throw new TunnelError(`unsupported tunnel compression "${String(compression)}"`, { code: 'UnsupportedEncoding' });
  }
}

/** The Content-Encoding header value for an upload compressed with compressBody. */
export function contentEncodingFor(compression: TunnelCompression, arrow = false): string | undefined {
  return encodingHeader(compression, arrow);
}
