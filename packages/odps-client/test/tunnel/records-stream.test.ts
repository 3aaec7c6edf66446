import { describe, it, expect } from 'vitest';
import {
  decodeRecords, decodeRecordStream, encodeRecords, encodeRecordStream, RecordStreamDecoder, RecordStreamEncoder,
} from '../../src/tunnel/records/index.js';
import { TunnelError } from '../../src/errors.js';
import { Timestamp } from '../../src/types/index.js';

const cols = [
  { name: 'id', type: 'bigint' }, { name: 's', type: 'string' }, { name: 'ts', type: 'timestamp' },
  { name: 'arr', type: 'array<map<string,double>>' }, { name: 'b', type: 'binary' },
];
const rows = Array.from({ length: 24 }, (_, i) => [
  BigInt(i) * 98765432109n * (i % 2 ? -1n : 1n), 'é'.repeat(i % 9) + (i === 12 ? 'y'.repeat(300) : ''),
  new Timestamp(BigInt(-i * 1000), i), i % 4 ? [new Map([['k', i / 3]]), null] : null, new Uint8Array(i % 5),
]);
const body = encodeRecordStream(cols, rows);

function decodeChunks(chunks: Uint8Array[]): unknown[][] {
  const d = new RecordStreamDecoder(cols);
  const out: unknown[][] = [];
  for (const c of chunks) out.push(...d.push(c));
  out.push(...d.end());
  expect(d.finished).toBe(true);
  expect(d.recordCount).toBe(rows.length);
  return out;
}

// Deterministic PRNG so failures reproduce.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

describe('streaming record decoder', () => {
  it('splitting the body at every offset gives the same rows', () => {
    // Re-encoding the decoded rows is a cheap exact comparison (the codec round trip is tested elsewhere).
    const same = (out: unknown[][]): boolean => Buffer.from(encodeRecordStream(cols, out)).equals(Buffer.from(body));
    for (let cut = 0; cut <= body.length; cut++) {
      if (!same(decodeChunks([body.subarray(0, cut), body.subarray(cut)]))) expect.fail(`split at ${cut}`);
    }
    for (let cut = 0; cut + 7 <= body.length; cut += 3) {
      const three = [body.subarray(0, cut), body.subarray(cut, cut + 7), body.subarray(cut + 7)];
      if (!same(decodeChunks(three))) expect.fail(`split at ${cut}/${cut + 7}`);
    }
  });

  it('random chunk sizes, including 1-byte chunks', () => {
    const rand = rng(42);
    for (let trial = 0; trial < 40; trial++) {
      const max = trial < 5 ? 1 : 1 + Math.floor(rand() * 200);
      const chunks: Uint8Array[] = [];
      for (let p = 0; p < body.length;) {
        const n = 1 + Math.floor(rand() * max);
        chunks.push(body.subarray(p, p + n));
        p += n;
      }
      expect(decodeChunks(chunks)).toEqual(rows);
    }
  });

  it('a record much larger than the chunks is decoded once enough arrived', () => {
    const big = [{ name: 'a', type: 'array<bigint>' }, { name: 's', type: 'string' }];
    const bigRows = [[Array.from({ length: 50000 }, (_, i) => BigInt(i)), 'z'.repeat(200000)], [[1n], 'end']];
    const bytes = encodeRecordStream(big, bigRows);
    const d = new RecordStreamDecoder(big);
    const out: unknown[][] = [];
    for (let p = 0; p < bytes.length; p += 1000) out.push(...d.push(bytes.subarray(p, p + 1000)));
    out.push(...d.end());
    expect(out).toEqual(bigRows);
  });

  it('truncation at any chunk boundary is a TunnelError', () => {
    const d = new RecordStreamDecoder(cols);
    d.push(body.subarray(0, 100));
    expect(() => d.end()).toThrow(TunnelError);
    expect(() => decodeRecordStream(cols, new Uint8Array(0))).toThrow(/truncated stream/);
  });

  it('decodeRecords is pull-based', async () => {
    let pulled = 0;
    async function* source(): AsyncGenerator<Uint8Array> {
      for (let p = 0; p < body.length; p += 16) {
        pulled++;
        yield body.subarray(p, p + 16);
      }
    }
    const it = decodeRecords(source(), cols)[Symbol.asyncIterator]();
    const first = await it.next();
    expect(first.value).toEqual(rows[0]);
    expect(pulled).toBeLessThan(5);
    const rest: unknown[] = [first.value];
    for (let r = await it.next(); !r.done; r = await it.next()) rest.push(r.value);
    expect(rest).toEqual(rows);
  });

  it('decodeRecords reports a truncated source', async () => {
    async function* source(): AsyncGenerator<Uint8Array> {
      yield body.subarray(0, body.length - 3);
    }
    const got: unknown[] = [];
    await expect(async () => {
      for await (const r of decodeRecords(source(), cols)) got.push(r);
    }).rejects.toThrow(/truncated stream/);
    expect(got.length).toBe(rows.length);
  });

  it('encoder chunks concatenate to the one-shot encoding', async () => {
    const enc = new RecordStreamEncoder(cols, { chunkSize: 100 });
    const parts: Uint8Array[] = [];
    for (const r of rows) {
      const c = enc.write(r);
      if (c) {
        expect(c.length).toBeGreaterThanOrEqual(100);
        parts.push(c);
      }
    }
    expect(enc.recordCount).toBe(rows.length);
    parts.push(enc.finish());
    expect(parts.length).toBeGreaterThan(3);
    expect(Buffer.concat(parts).equals(Buffer.from(body))).toBe(true);
    expect(enc.byteCount).toBe(body.length);
    const streamed: Uint8Array[] = [];
    for await (const c of encodeRecords(rows, cols, { chunkSize: 1000 })) streamed.push(c);
    expect(Buffer.concat(streamed).equals(Buffer.from(body))).toBe(true);
  });

  it('a rejected row leaves the stream intact', () => {
    const enc = new RecordStreamEncoder(cols);
    enc.write(rows[0]!);
    expect(() => enc.write([1n, 2])).toThrow(/"s"/);
    enc.write(rows[1]!);
    const bytes = enc.finish();
    expect(decodeRecordStream(cols, bytes).rows).toEqual([rows[0], rows[1]]);
  });
});
