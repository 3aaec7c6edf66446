import { describe, it, expect } from 'vitest';
import { crc32c } from '@node-rs/crc32';
import { ArrowFrameDecoder, ArrowFrameEncoder, deframeArrowBody, frameArrowPayload } from '../../src/tunnel/arrow/index.js';
import { ChecksumError, TunnelError } from '../../src/errors.js';

const payloadOf = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 31 + (i >> 8)) & 0xff);
const u32be = (b: Uint8Array, at: number): number => Buffer.from(b).readUInt32BE(at);

function deframe(body: Uint8Array, split = body.length): Uint8Array {
  const d = new ArrowFrameDecoder();
  const out: Uint8Array[] = [];
  for (let p = 0; p < body.length; p += split) out.push(...d.push(body.subarray(p, p + split)));
  out.push(...d.end());
  return new Uint8Array(Buffer.concat(out));
}

describe('Arrow body framing (tunnel.md §4.2)', () => {
  it('matches the documented layouts for 150000 and 131072 payload bytes', () => {
    const p = payloadOf(150_000);
    const body = frameArrowPayload(p);
    expect(body.length).toBe(150_016);
    expect(u32be(body, 0)).toBe(65536);
    expect(u32be(body, 4 + 65536)).toBe(crc32c(Buffer.from(p.subarray(0, 65536))));
    expect(u32be(body, 8 + 2 * 65536)).toBe(crc32c(Buffer.from(p.subarray(65536, 131072))));
    expect(u32be(body, body.length - 4)).toBe(crc32c(Buffer.from(p)));
    const exact = frameArrowPayload(payloadOf(131_072));
    expect(exact.length).toBe(131_088);
    expect(u32be(exact, exact.length - 4)).toBe(crc32c(Buffer.from(payloadOf(131_072))));
    expect(u32be(exact, exact.length - 8)).toBe(crc32c(Buffer.from(payloadOf(131_072).subarray(65536))));
  });

  it('round-trips payload sizes around the chunk size, however written and read', () => {
    const size = 64;
    for (const n of [1, 3, 63, 64, 65, 127, 128, 129, 1000]) {
      const p = payloadOf(n);
      const body = frameArrowPayload(p, size);
      // Writes split differently give the same body.
      const enc = new ArrowFrameEncoder(size);
      const parts: Uint8Array[] = [];
      for (let i = 0; i < n; i += 7) parts.push(...enc.write(p.subarray(i, i + 7)));
      parts.push(...enc.finish());
      expect(Buffer.concat(parts).equals(Buffer.from(body))).toBe(true);
      for (const split of [1, 5, 67, 68, 69, body.length]) expect(deframe(body, split)).toEqual(p);
    }
  });

  it('empty bodies are no rows', () => {
    expect(frameArrowPayload(new Uint8Array(0)).length).toBe(0);
    expect(deframe(new Uint8Array(0))).toEqual(new Uint8Array(0));
    expect(deframe(new Uint8Array(4))).toEqual(new Uint8Array(0)); // PyODPS empty writer: bare CRC 0
  });

  it('a flipped byte is a ChecksumError (chunk and final CRC)', () => {
    const body = new Uint8Array(frameArrowPayload(payloadOf(200), 64));
    const inChunk = new Uint8Array(body);
    inChunk[10]! ^= 0x40;
    expect(() => deframe(inChunk)).toThrow(ChecksumError);
    expect(() => deframe(inChunk)).toThrow(/chunk 0/);
    const inTail = new Uint8Array(body);
    inTail[body.length - 6]! ^= 0x01;
    expect(() => deframe(inTail)).toThrow(ChecksumError);
  });

  it('truncation is an error', () => {
    const body = frameArrowPayload(payloadOf(128), 64);
    expect(() => deframe(body.subarray(0, 2))).toThrow(TunnelError);
    expect(() => deframe(body.subarray(0, 4 + 68 + 68))).toThrow(/without the final checksum/);
    expect(() => deframe(body.subarray(0, body.length - 1))).toThrow(TunnelError);
  });

  it('async de-framer', async () => {
    const p = payloadOf(500);
    const body = frameArrowPayload(p, 100);
    async function* src(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < body.length; i += 33) yield body.subarray(i, i + 33);
    }
    const out: Uint8Array[] = [];
    for await (const c of deframeArrowBody(src())) out.push(c);
    expect(new Uint8Array(Buffer.concat(out))).toEqual(p);
  });
});
