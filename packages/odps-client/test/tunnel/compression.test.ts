import { describe, it, expect } from 'vitest';
import zlib from 'node:zlib';
import { compressBody, decompressBody } from '../../src/tunnel/compression.js';
import { decodeRecordBody, encodeRecordBody } from '../../src/tunnel/codec.js';
import { TunnelError } from '../../src/errors.js';

async function collect(it: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const out: Uint8Array[] = [];
  for await (const x of it) out.push(x);
  return Buffer.concat(out);
}
async function* chunksOf(b: Uint8Array, n: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < b.length; i += n) yield b.subarray(i, i + n);
}
const data = Buffer.from('hello tunnel '.repeat(5000));

describe('tunnel compression', () => {
  it('deflate is zlib-wrapped and round-trips', async () => {
    const z = await collect(compressBody([data.subarray(0, 100), data.subarray(100)]));
    expect(z[0]).toBe(0x78);
    expect(zlib.inflateSync(z).equals(data)).toBe(true);
    expect((await collect(decompressBody(chunksOf(z, 7), 'Deflate'))).equals(data)).toBe(true);
  });

  it('accepts raw deflate, gzip and identity', async () => {
    expect((await collect(decompressBody(chunksOf(zlib.deflateRawSync(data), 100), 'deflate'))).equals(data)).toBe(true);
    expect((await collect(decompressBody(chunksOf(zlib.gzipSync(data), 100), 'gzip'))).equals(data)).toBe(true);
    expect((await collect(decompressBody(chunksOf(data, 1000), undefined))).equals(data)).toBe(true);
    expect((await collect(decompressBody(chunksOf(new Uint8Array(0), 1), 'deflate'))).length).toBe(0);
  });

  it('unsupported or corrupt encodings are TunnelErrors', async () => {
    await expect(collect(decompressBody(chunksOf(data, 10), 'x-snappy-framed'))).rejects.toThrow(/unsupported tunnel Content-Encoding/);
    const bad = Buffer.from(zlib.deflateSync(data));
    bad[20]! ^= 0xff;
    await expect(collect(decompressBody(chunksOf(bad, 10), 'deflate'))).rejects.toBeInstanceOf(TunnelError);
  });

  it('record bodies end to end with compression', async () => {
    const cols = [{ name: 'a', type: 'bigint' }, { name: 's', type: 'string' }];
    const rows = Array.from({ length: 2000 }, (_, i) => [BigInt(i), `s${i}`]);
    const body = await collect(encodeRecordBody(rows, cols, { compression: 'deflate', chunkSize: 1000 }));
    const out: unknown[][] = [];
    for await (const batch of decodeRecordBody(chunksOf(body, 333), cols, { contentEncoding: 'deflate' })) out.push(...batch);
    expect(out).toEqual(rows);
  });
});
