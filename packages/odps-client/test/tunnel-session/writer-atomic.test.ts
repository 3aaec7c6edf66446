// A write call is all-or-nothing: a bad row leaves nothing of its call buffered, names its row, and the writer stays usable.
import { afterEach, describe, expect, it } from 'vitest';
import { Int64, Table, Utf8, vectorFromArray } from 'apache-arrow';
import { decodeRecordStream } from '../../src/tunnel/records/index.js';
import { TableUploadSession } from '../../src/tunnel/upload/upload-session.js';
import { ValueTypeError } from '../../src/types/value-type-error.js';
import { TunnelError } from '../../src/errors.js';
import { startTunnelServer, type TunnelServer } from './loopback.js';

const COLUMNS = [{ name: 'id', type: 'bigint' }, { name: 'name', type: 'string' }, { name: 'f', type: 'float' }];
const good = (i: number): unknown[] => [BigInt(i), `n${i}`, i / 2];

let server: TunnelServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function open(blockSize = 1024 * 1024): Promise<ReturnType<TableUploadSession['openWriter']>> {
  server = await startTunnelServer({ columns: COLUMNS, rowAt: () => [], count: 0 });
  const session = await TableUploadSession.create(server.odps(), { project: 'p1', name: 't' });
  return session.openWriter({ blockSize });
}

/** Every row the server received, over all blocks in id order. */
function uploaded(): unknown[][] {
  const blocks = [...server!.blocks.entries()].sort((a, b) => a[0] - b[0]);
  return blocks.flatMap(([, b]) => decodeRecordStream(COLUMNS, b).rows);
}

async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

// Bad values, each in row 2 (0-based) of a 4-row batch; each kind reaches a different check.
const BAD: [string, unknown[] | Record<string, unknown>][] = [
  ['type', ['x', 'n', 1]],
  ['float overflow', [2n, 'n', 3.5e38]],
  ['float underflow', [2n, 'n', 1e-50]],
  ['lone surrogate (short, encoder)', [2n, 'x\uD800y', 1]],
  ['lone surrogate (long, encoder)', [2n, 'y'.repeat(80) + '\uDC00', 1]],
  ['too many values', [2n, 'n', 1, 4]],
  ['unknown object field', { id: 2n, nope: 1 }],
];

describe('record writer: a failed write call stores nothing of that call', () => {
  for (const [what, bad] of BAD) {
    for (const via of ['write(rows)', 'writeRows(array)', 'writeRows(async)']) {
      it(`${what} via ${via}`, async () => {
        const w = await open();
        await w.write(good(0));
        const batch = [good(10), good(11), bad, good(13)];
        const call = via === 'write(rows)' ? w.write(batch as unknown[][])
          : via === 'writeRows(array)' ? w.writeRows(batch as unknown[][])
            : w.writeRows((async function* () { yield* batch as unknown[][]; })());
        const err = await caught(call);
        expect((err as Error).name).toMatch(/ValueTypeError|OdpsArgumentError/);
        expect((err as { row?: number }).row).toBe(2);
        expect((err as Error).message).toMatch(/\brow 2: value for/);
        expect(w.recordCount).toBe(1);
        // Still usable: later rows go in, the failed call's rows never do.
        await w.write([good(20), good(21)]);
        await w.commit();
        expect(uploaded()).toEqual([good(0), good(20), good(21)].map((r) => [r[0], r[1], Math.fround(r[2] as number)]));
      });
    }
  }

  it('write(row) of one bad row leaves the writer as it was', async () => {
    const w = await open();
    await w.write(good(0));
    await expect(w.write([1n, '\uD800', 1])).rejects.toBeInstanceOf(ValueTypeError);
    await w.commit();
    expect(uploaded()).toHaveLength(1);
  });

  it('a failure after a block of the same call was uploaded makes the writer refuse to commit (abort instead)', async () => {
    const w = await open(1024);
    const rows = Array.from({ length: 400 }, (_, i) => good(i));
    rows[350] = [350n, 'bad', 1e300];
    const err = await caught(w.writeRows(rows));
    expect(err).toBeInstanceOf(ValueTypeError);
    expect((err as ValueTypeError).row).toBe(350);
    expect(server!.blocks.size).toBeGreaterThan(0);
    const commitErr = await caught(w.commit());
    expect(commitErr).toBeInstanceOf(TunnelError);
    expect((commitErr as TunnelError).code).toBe('WriterFailed');
    await w.abort();
  });

  it('a failing async source is a failed call too', async () => {
    const w = await open();
    await w.write(good(0));
    const err = await caught(w.writeRows((async function* () {
      yield good(1);
      yield good(2);
      throw new Error('source broke');
    })()));
    expect((err as Error).message).toBe('source broke');
    expect(w.recordCount).toBe(1);
    await w.commit();
    expect(uploaded()).toHaveLength(1);
  });
});

describe('Arrow writer: a refused batch leaves nothing buffered', () => {
  it('a batch with the wrong layout is refused whole and the writer stays usable', async () => {
    server = await startTunnelServer({ columns: [{ name: 'id', type: 'bigint' }, { name: 'name', type: 'string' }], rowAt: () => [], count: 0 });
    const session = await TableUploadSession.create(server.odps(), { project: 'p1', name: 't' });
    const w = session.openArrowWriter();
    const ok = new Table({ id: vectorFromArray([1n, 2n], new Int64()), name: vectorFromArray(['a', 'b'], new Utf8()) });
    const bad = new Table({ id: vectorFromArray([3n], new Int64()), other: vectorFromArray(['c'], new Utf8()) });
    await expect(w.write(bad)).rejects.toBeInstanceOf(TunnelError);
    expect(w.recordCount).toBe(0);
    await w.write(ok);
    await w.commit();
    expect(w.recordCount).toBe(2);
    expect(server.blocks.size).toBe(1);
  });
});
