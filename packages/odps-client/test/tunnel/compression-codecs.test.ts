// LZ4 frame and zstd tunnel codecs: round trips at arbitrary splits, interop with the reference
// encoders/decoders, SDK header names, and corrupt or truncated input as typed errors.
import { describe, it, expect } from 'vitest';
import { compressFrameSync, compressSync, decompressFrameSync } from 'lz4-napi';
import { compress as zstdCompress, decompress as zstdDecompress } from '@mongodb-js/zstd';
import { compressBody, decompressBody, encodingHeader, normalizeEncoding, resolveCompression } from '../../src/tunnel/compression.js';
import { xxh32 } from '../../src/tunnel/codecs/xxh32.js';
import { decodeRecordBody, encodeArrowBody, encodeRecordBody } from '../../src/tunnel/codec.js';
import { OdpsArgumentError, TunnelError } from '../../src/errors.js';
import { isBrokenTransfer } from '../../src/tunnel/session/backoff.js';

async function collect(it: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const out: Uint8Array[] = [];
  for await (const x of it) out.push(x);
  return Buffer.concat(out);
}
/** Splits `b` at pseudo-random points (1..max bytes), deterministic per seed. */
async function* splitRandomly(b: Uint8Array, max: number, seed: number): AsyncGenerator<Uint8Array> {
  let s = seed;
  for (let i = 0; i < b.length;) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const n = 1 + (s % max);
    yield b.subarray(i, i + n);
    i += n;
  }
}
async function* chunksOf(b: Uint8Array, n: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < b.length; i += n) yield b.subarray(i, i + n);
}

/** ~3 MB of mixed data: compressible text, counters and an incompressible stretch. */
function sample(): Buffer {
  const parts: Buffer[] = [Buffer.from('tunnel row, col=value; '.repeat(40_000))];
  const nums = Buffer.alloc(1_000_000);
  for (let i = 0; i < nums.length; i += 4) nums.writeUInt32LE(i * 7, i);
  parts.push(nums);
  let s = 42;
  const noise = Buffer.alloc(1_100_000);
  for (let i = 0; i < noise.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    noise[i] = s >>> 24;
  }
  parts.push(noise);
  return Buffer.concat(parts);
}
const data = sample();

describe('xxh32', () => {
  it('matches the reference values and is split-independent', () => {
    expect(xxh32(new Uint8Array(0))).toBe(0x02cc5d05);
    expect(xxh32(Buffer.from('abc'))).toBe(0x32d153ff);
    expect(xxh32(Buffer.from('Nobody inspects the spammish repetition'))).toBe(0xe2293b2f);
    // The LZ4 header checksum of FLG=0x60 BD=0x40 as written by the reference encoder.
    const ref = compressFrameSync(Buffer.from('x'));
    expect((xxh32(ref.subarray(4, 6)) >>> 8) & 0xff).toBe(ref[6]);
  });
});

describe('codec names', () => {
  it('uses the SDK header strings per direction and format', () => {
    expect(encodingHeader('deflate')).toBe('deflate');
    expect(encodingHeader('zstd', true)).toBe('zstd');
    expect(encodingHeader('lz4')).toBe('x-lz4-frame');
    expect(encodingHeader('lz4', true)).toBe('x-odps-lz4-frame');
    expect(encodingHeader('none')).toBeUndefined();
    for (const e of ['x-lz4-frame', 'X-ODPS-LZ4-FRAME', 'lz4_frame', 'LZ4_FRAME']) expect(normalizeEncoding(e)).toBe('lz4');
    expect(normalizeEncoding('ZSTD')).toBe('zstd');
    expect(() => normalizeEncoding('x-snappy-framed')).toThrow(TunnelError);
    expect(() => normalizeEncoding('br')).toThrow(/unsupported tunnel Content-Encoding/);
  });

  it('resolves the compress option and refuses unknown codecs', () => {
    expect(resolveCompression(true)).toBe('deflate');
    expect(resolveCompression(false)).toBe('none');
    expect(resolveCompression(undefined)).toBe('none');
    expect(resolveCompression('lz4')).toBe('lz4');
    for (const bad of ['snappy', 'LZ4', '', 'gzip', 1]) expect(() => resolveCompression(bad as never)).toThrow(OdpsArgumentError);
  });
});

describe.each(['lz4', 'zstd', 'deflate'] as const)('%s body codec', (codec) => {
  const header = encodingHeader(codec)!;

  it('round-trips a few MB whatever the input and output splits', async () => {
    const z = await collect(compressBody(splitRandomly(data, 70_000, 1), codec));
    expect(z.length).toBeLessThan(data.length);
    for (const [max, seed] of [[codec === 'deflate' ? 257 : 13, 2], [4096, 3], [300_000, 4]] as const) {
      expect((await collect(decompressBody(splitRandomly(z, max, seed), header))).equals(data)).toBe(true);
    }
    // Byte by byte over a body of several blocks (node:zlib's stream is too slow for that: 64 bytes).
    const small = data.subarray(0, 700_000);
    const zs = await collect(compressBody([small], codec));
    expect((await collect(decompressBody(chunksOf(zs, codec === 'deflate' ? 64 : 1), header))).equals(small)).toBe(true);
  });

  it('round-trips empty and one-byte bodies', async () => {
    for (const b of [Buffer.alloc(0), Buffer.from([7])]) {
      const z = await collect(compressBody([b], codec));
      expect((await collect(decompressBody(chunksOf(z, 1), header))).equals(b)).toBe(true);
    }
  });

  it('a truncated body is a broken transfer (so a download resumes); corrupt bytes are a final TunnelError', async () => {
    const z = await collect(compressBody([data.subarray(0, 600_000)], codec));
    const cut = decompressBody(chunksOf(z.subarray(0, z.length - 9), 1000), header);
    const e1 = await collect(cut).then(() => undefined, (e: unknown) => e);
    expect(e1).toBeInstanceOf(TunnelError);
    expect(isBrokenTransfer(e1)).toBe(true);
    const flips = [5, 12, Math.floor(z.length / 3), Math.floor(z.length / 2)];
    for (const at of flips) {
      const bad = Buffer.from(z);
      bad[at]! ^= 0x5a;
      // Either the codec notices (typed error) or, lacking a checksum, yields different bytes for the
      // payload CRCs to catch; it never hangs or crashes.
      const r = await collect(decompressBody(chunksOf(bad, 4096), header)).then((b) => b, (e: unknown) => e);
      if (r instanceof Buffer) expect(r.equals(data.subarray(0, 600_000))).toBe(false);
      else expect(r).toBeInstanceOf(TunnelError);
    }
  });

  it('record bodies survive the codec with their checksums', async () => {
    const cols = [{ name: 'a', type: 'bigint' }, { name: 's', type: 'string' }];
    const rows = Array.from({ length: 20_000 }, (_, i) => [BigInt(i), `row ${i % 97}`]);
    const body = await collect(encodeRecordBody(rows, cols, { compression: codec, chunkSize: 5000 }));
    const out: unknown[][] = [];
    for await (const b of decodeRecordBody(splitRandomly(body, 5000, 9), cols, { contentEncoding: header })) out.push(...b);
    expect(out).toEqual(rows);
  });
});

describe('LZ4 frame interop and hostile frames', () => {
  it('reads frames written by the reference encoder (checksums on) and is read by its decoder', async () => {
    const ref = compressFrameSync(data, { contentChecksum: true, blockChecksums: true });
    expect((await collect(decompressBody(splitRandomly(ref, 9000, 5), 'x-lz4-frame'))).equals(data)).toBe(true);
    const ours = await collect(compressBody([data], 'lz4'));
    expect(decompressFrameSync(ours).equals(data)).toBe(true);
  });

  it('reads linked blocks, concatenated frames and skips skippable frames', async () => {
    // A frame of linked 64 KiB blocks built by hand: each block may reference the previous 64 KiB.
    const text = Buffer.from('linked blocks see earlier output. '.repeat(10_000));
    const h = Buffer.from([0x04, 0x22, 0x4d, 0x18, 0x40, 0x40, 0]);
    h[6] = (xxh32(h.subarray(4, 6)) >>> 8) & 0xff;
    const parts: Buffer[] = [h];
    for (let i = 0; i < text.length; i += 65_536) {
      const block = text.subarray(i, i + 65_536);
      const dict = text.subarray(Math.max(0, i - 65_536), i);
      const c = (dict.length > 0 ? compressSync(block, dict) : compressSync(block)).subarray(4);
      const size = Buffer.alloc(4);
      size.writeUInt32LE(c.length);
      parts.push(size, c);
    }
    parts.push(Buffer.alloc(4));
    const skippable = Buffer.from([0x5a, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 1, 2, 3]);
    const second = compressFrameSync(Buffer.from('tail'));
    const stream = Buffer.concat([...parts, skippable, second]);
    const out = await collect(decompressBody(splitRandomly(stream, 777, 6), 'x-odps-lz4-frame'));
    expect(out.equals(Buffer.concat([text, Buffer.from('tail')]))).toBe(true);
  });

  it('refuses hostile frames with DecompressionError', async () => {
    const good = compressFrameSync(data.subarray(0, 200_000), { contentChecksum: true, blockChecksums: true });
    const cases: [string, Buffer][] = [];
    const mut = (name: string, f: (b: Buffer) => void) => {
      const b = Buffer.from(good);
      f(b);
      cases.push([name, b]);
    };
    mut('bad magic', (b) => { b[0] = 0x05; });
    mut('header checksum', (b) => { b[6]! ^= 1; });
    mut('version', (b) => { b[4] = 0x80 | (b[4]! & 0x3f); });
    mut('reserved BD bits', (b) => { b[5]! |= 0x01; });
    mut('block checksum', (b) => { b[20]! ^= 0xff; });
    mut('content checksum', (b) => { b[b.length - 1]! ^= 0xff; });
    mut('block bigger than its max', (b) => { b.writeUInt32LE(0x7fffffff, 7); });
    cases.push(['legacy format', Buffer.from([0x02, 0x21, 0x4c, 0x18, 0, 0, 0, 0])]);
    cases.push(['garbage', Buffer.from('definitely not lz4 at all')]);
    const sizeLie = Buffer.from([0x04, 0x22, 0x4d, 0x18, 0x68, 0x40, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0x04, 0x80, 1, 0, 0, 0x00, 0, 0, 0]);
    sizeLie[14] = (xxh32(sizeLie.subarray(4, 14)) >>> 8) & 0xff;
    cases.push(['content size lie', sizeLie]);
    for (const [name, b] of cases) {
      const r = await collect(decompressBody(chunksOf(b, 333), 'x-lz4-frame')).then(() => 'no error', (e: unknown) => e);
      expect(r, name).toBeInstanceOf(TunnelError);
      expect((r as TunnelError).code, name).toBe('DecompressionError');
    }
  });
});

describe('zstd interop and limits', () => {
  it('reads concatenated frames and output of the reference encoder; the reference reads ours', async () => {
    const a = await zstdCompress(data.subarray(0, 1_000_000), 1);
    const b = await zstdCompress(data.subarray(1_000_000), 19);
    expect((await collect(decompressBody(splitRandomly(Buffer.concat([a, b]), 5000, 7), 'zstd'))).equals(data)).toBe(true);
    const ours = await collect(compressBody(chunksOf(data, 100_000), 'zstd', { frameBytes: 1_000_000 }));
    expect((await zstdDecompress(ours)).equals(data)).toBe(true);
  });

  it('stops a body inflating past maxBytes', async () => {
    const bomb = await zstdCompress(Buffer.alloc(20_000_000), 3);
    const r = await collect(decompressBody(chunksOf(bomb, 1000), 'zstd', { maxBytes: 1_000_000 })).then(() => 'no error', (e: unknown) => e);
    expect(r).toBeInstanceOf(TunnelError);
  });
});

describe('Arrow upload bodies', () => {
  it('are compressed around the chunk framing (decompress, then unframe)', async () => {
    const plain = await collect(encodeArrowBody([], { chunkSize: 65_536 }));
    const z = await collect(encodeArrowBody([], { chunkSize: 65_536, compression: 'lz4' }));
    expect((await collect(decompressBody(chunksOf(z, 3), 'x-odps-lz4-frame'))).equals(plain)).toBe(true);
  });
});
