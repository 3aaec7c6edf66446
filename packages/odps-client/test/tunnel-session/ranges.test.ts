// Range splitting and the in-order merge with bounded run-ahead.
import { describe, expect, it } from 'vitest';
import { mergeInOrder, splitRange } from '../../src/tunnel/download/ranges.js';
import { resumableRange } from '../../src/tunnel/download/resumable-range.js';
import { ChecksumError, TunnelError } from '../../src/errors.js';

describe('splitRange', () => {
  it('splits like PyODPS (ceil, last shorter) and never makes more parts than rows', () => {
    expect(splitRange(0, 10, 3)).toEqual([{ start: 0, count: 4 }, { start: 4, count: 4 }, { start: 8, count: 2 }]);
    expect(splitRange(5, 2, 8)).toEqual([{ start: 5, count: 1 }, { start: 6, count: 1 }]);
    expect(splitRange(0, 0, 4)).toEqual([]);
  });
});

describe('mergeInOrder', () => {
  it('yields in range order while later ranges run ahead by at most the capacity', async () => {
    const produced = [0, 0, 0];
    let consumedTotal = 0;
    let maxAhead = 0;
    const out: number[] = [];
    const ranges = splitRange(0, 300, 3);
    for await (const v of mergeInOrder(ranges, async function* (r) {
      const i = r.start / 100;
      for (let k = r.start; k < r.start + r.count; k++) {
        produced[i]!++;
        yield k;
      }
    }, { capacity: 5, sizeOf: () => 1 })) {
      out.push(v);
      consumedTotal++;
      if (consumedTotal < 100) maxAhead = Math.max(maxAhead, produced[1]!, produced[2]!);
      await new Promise((r) => setImmediate(r));
    }
    expect(out).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect(maxAhead).toBeGreaterThan(0);
    expect(maxAhead).toBeLessThanOrEqual(6);
  });

  it('surfaces a later range error only after the earlier rows, and stops the producers', async () => {
    const out: number[] = [];
    let stopped = 0;
    const err = await (async () => {
      for await (const v of mergeInOrder(splitRange(0, 20, 2), async function* (r) {
        try {
          if (r.start === 10) throw new Error('boom');
          for (let k = 0; k < r.count; k++) yield r.start + k;
        } finally {
          stopped++;
        }
      }, { capacity: 3, sizeOf: () => 1 })) out.push(v);
    })().catch((e: unknown) => e);
    expect((err as Error).message).toBe('boom');
    expect(out).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(stopped).toBe(2);
  });
});

describe('resumableRange', () => {
  const broken = Object.assign(new Error('socket'), { code: 'ECONNRESET' });
  it('reopens at start + delivered after a broken body', async () => {
    const opens: [number, number][] = [];
    const items: number[] = [];
    for await (const b of resumableRange<number[]>({ start: 10, count: 6 }, async (s, c) => {
      opens.push([s, c]);
      return (async function* () {
        yield [s, s + 1].slice(0, c);
        if (opens.length === 1) throw broken;
        for (let k = s + 2; k < s + c; k++) yield [k];
      })();
    }, (b) => b.length, { baseDelayMs: 1, maxDelayMs: 1 })) items.push(...b);
    expect(items).toEqual([10, 11, 12, 13, 14, 15]);
    expect(opens).toEqual([[10, 6], [12, 4]]);
  });

  it('never retries a checksum error and gives up after maxAttempts without progress', async () => {
    let opens = 0;
    const run = (error: unknown) => (async () => {
      for await (const _ of resumableRange<number[]>({ start: 0, count: 3 }, async () => {
        opens++;
        return (async function* () {
          yield* [];
          throw error;
        })();
      }, (b) => b.length, { baseDelayMs: 1, maxDelayMs: 1, maxAttempts: 3 })) { /* none */ }
    })().catch((e: unknown) => e);
    expect(await run(new ChecksumError('bad'))).toBeInstanceOf(ChecksumError);
    expect(opens).toBe(1);
    opens = 0;
    const e = await run(broken);
    expect(e).toBeInstanceOf(TunnelError);
    expect((e as TunnelError).code).toBe('ECONNRESET');
    expect(opens).toBe(3);
  });
});
