// RecordBlockWriter.writeRows row sources: sync fast path, async iterables, promised rows, block rolling.
import { afterEach, describe, expect, it } from 'vitest';
import { TableUploadSession } from '../../src/tunnel/upload/upload-session.js';
import { ValueTypeError } from '../../src/types/value-type-error.js';
import { startTunnelServer, type TunnelServer } from './loopback.js';

const COLUMNS = [{ name: 'id', type: 'bigint' }, { name: 'name', type: 'string' }];
const rows = (n: number): unknown[][] => Array.from({ length: n }, (_, i) => [BigInt(i), `name-${i}-${'z'.repeat(40)}`]);

let server: TunnelServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Uploads through writeRows(source) and returns the PUT bodies in block order. */
async function blocksOf(source: (data: unknown[][]) => Iterable<unknown> | AsyncIterable<unknown>): Promise<string[]> {
  server = await startTunnelServer({ columns: COLUMNS, rowAt: () => [], count: 0 });
  const session = await TableUploadSession.create(server.odps(), { project: 'p1', name: 't' });
  const w = session.openWriter({ blockSize: 4096 });
  await w.writeRows(source(rows(300)) as Iterable<readonly unknown[]>);
  expect(w.recordCount).toBe(300);
  await w.commit();
  const bodies = [...server.blocks.entries()].sort((a, b) => a[0] - b[0]).map(([, b]) => Buffer.from(b).toString('hex'));
  await server.close();
  server = undefined;
  return bodies;
}

describe('RecordBlockWriter.writeRows sources', () => {
  it('array, sync generator, async generator, promised rows and a dual iterable give identical blocks', async () => {
    const fromArray = await blocksOf((d) => d);
    expect(fromArray.length).toBeGreaterThan(3);
    const fromGen = await blocksOf(function* (d) { yield* d; });
    const fromAsync = await blocksOf(async function* (d) { yield* d; });
    const fromPromises = await blocksOf((d) => d.map((r) => Promise.resolve(r)));
    // An object with both iterators: for-await semantics pick the async one.
    const dual = await blocksOf((d) => ({
      [Symbol.iterator]: () => { throw new Error('sync iterator must not be used'); },
      [Symbol.asyncIterator]: async function* () { yield* d; },
    }));
    for (const other of [fromGen, fromAsync, fromPromises, dual]) expect(other).toEqual(fromArray);
  });

  it('a bad row fails with ValueTypeError and none of its call is kept', async () => {
    server = await startTunnelServer({ columns: COLUMNS, rowAt: () => [], count: 0 });
    const session = await TableUploadSession.create(server.odps(), { project: 'p1', name: 't' });
    const w = session.openWriter({ blockSize: 4096 });
    await expect(w.writeRows([[1n, 'a'], [2n, 'b'], ['nope', 'c']])).rejects.toBeInstanceOf(ValueTypeError);
    expect(w.recordCount).toBe(0);
    await w.abort();
  });
});
