// flattenBatches: the row iterator of record readers behaves like `for await (b of batches()) yield* b`.
import { describe, it, expect } from 'vitest';
import { flattenBatches } from '../../src/tunnel/records/flatten-batches.js';

function source(batches: number[][], log: string[], failAfter?: number) {
  return async function* () {
    log.push('start');
    try {
      let k = 0;
      for (const b of batches) {
        if (failAfter !== undefined && k++ === failAfter) throw new Error('boom');
        await Promise.resolve();
        yield b;
      }
    } finally {
      log.push('closed');
    }
  };
}

async function collect<R>(it: AsyncIterable<R>): Promise<R[]> {
  const out: R[] = [];
  for await (const r of it) out.push(r);
  return out;
}

describe('flattenBatches', () => {
  it('yields every row in order, skipping empty batches, and starts the source lazily', async () => {
    const log: string[] = [];
    const it = flattenBatches(source([[1, 2], [], [3], [4, 5, 6]], log));
    expect(log).toEqual([]);
    expect(await collect(it)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(log).toEqual(['start', 'closed']);
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });

  it('queues concurrent next() calls in order across batch fetches', async () => {
    const it = flattenBatches(source([[1], [2, 3], [4]], []));
    const results = await Promise.all([it.next(), it.next(), it.next(), it.next(), it.next()]);
    expect(results).toEqual([
      { value: 1, done: false }, { value: 2, done: false }, { value: 3, done: false }, { value: 4, done: false },
      { value: undefined, done: true },
    ]);
  });

  it('rethrows a source error once, then is done', async () => {
    const log: string[] = [];
    const it = flattenBatches(source([[1, 2], [3]], log, 1));
    expect(await it.next()).toEqual({ value: 1, done: false });
    expect(await it.next()).toEqual({ value: 2, done: false });
    await expect(it.next()).rejects.toThrow('boom');
    expect(await it.next()).toEqual({ value: undefined, done: true });
    expect(log).toEqual(['start', 'closed']);
  });

  it('break in for-await closes the source; return() before start never opens it', async () => {
    const log: string[] = [];
    for await (const r of flattenBatches(source([[1, 2], [3]], log))) if (r === 1) break;
    expect(log).toEqual(['start', 'closed']);
    const log2: string[] = [];
    const it = flattenBatches(source([[1]], log2));
    expect(await it.return(undefined)).toEqual({ value: undefined, done: true });
    expect(await it.next()).toEqual({ value: undefined, done: true });
    expect(log2).toEqual([]);
  });

  it('throw() closes the source and rejects with the given error', async () => {
    const log: string[] = [];
    const it = flattenBatches(source([[1, 2]], log));
    await it.next();
    await expect(it.throw(new Error('stop'))).rejects.toThrow('stop');
    expect(log).toEqual(['start', 'closed']);
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });
});
