// Pushes millions of values through the BIGINT/DATETIME/TIMESTAMP varint paths so that a V8 optimizer
// crash on BigInt-heavy loops (design §6) would abort this test process.
import { describe, it, expect } from 'vitest';
import { RecordStreamDecoder, RecordStreamEncoder } from '../../src/tunnel/records/index.js';
import { Timestamp } from '../../src/types/index.js';

describe('record codec soak', () => {
  it('encodes and decodes 3.6 million int64-path values', () => {
    const cols = [
      { name: 'a', type: 'bigint' }, { name: 'b', type: 'bigint' }, { name: 'd', type: 'datetime' },
      { name: 't', type: 'timestamp' },
    ];
    const rowsN = 600_000; // 4 columns, timestamp counts twice (seconds + nanos) -> 3.0M varints + 0.6M nanos
    const sample: unknown[][] = [];
    for (let i = 0; i < 1000; i++) {
      sample.push([
        BigInt(i) * 9_000_000_000_000_000n / 1000n - 4_500_000_000_000_000n, // beyond 2^53: slow path
        BigInt(i - 500), // small values: fast path
        new Date(-62135596800000 + i * 253402300799),
        new Timestamp(BigInt(i) * 10_000_000_000n - 5_000_000_000_000n, (i * 999_983) % 1_000_000_000),
      ]);
    }
    const enc = new RecordStreamEncoder(cols, { chunkSize: 1 << 20 });
    const dec = new RecordStreamDecoder(cols);
    let decoded = 0;
    let checked = 0;
    const check = (out: unknown[][]): void => {
      for (const row of out) {
        if (decoded % 997 === 0) {
          expect(row).toEqual(sample[decoded % 1000]);
          checked++;
        }
        decoded++;
      }
    };
    for (let i = 0; i < rowsN; i++) {
      const chunk = enc.write(sample[i % 1000]!);
      if (chunk) check(dec.push(chunk));
    }
    check(dec.push(enc.finish()));
    check(dec.end());
    expect(decoded).toBe(rowsN);
    expect(checked).toBeGreaterThan(500);
  });
});
