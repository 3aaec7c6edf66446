import type { ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decompressBody } from '@odps-ts/odps-client';
import { BodySink, ClientGoneError } from '../../src/server/tunnel/body-sink.js';

/** A response stand-in whose writes complete only when the test releases them. */
function slowResponse(): { res: ServerResponse; release: () => void; received: Buffer[] } {
  const held: (() => void)[] = [];
  const received: Buffer[] = [];
  const w = new Writable({
    highWaterMark: 16,
    write(chunk: Buffer, _enc, cb) {
      received.push(chunk);
      held.push(() => cb());
    },
  });
  return { res: w as unknown as ServerResponse, release: () => held.splice(0).forEach((f) => f()), received };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('BodySink back-pressure', () => {
  it('waits for drain before accepting more', async () => {
    const { res, release } = slowResponse();
    const sink = new BodySink(res, 'none');
    let done = false;
    const p = sink.write(Buffer.alloc(100)).then(() => {
      done = true;
    });
    await tick();
    await tick();
    expect(done).toBe(false);
    release();
    await p;
    expect(done).toBe(true);
  });

  it('wakes a waiting writer with ClientGoneError when the connection closes', async () => {
    const { res } = slowResponse();
    const sink = new BodySink(res, 'none');
    const p = sink.write(Buffer.alloc(100));
    await tick();
    (res as unknown as Writable).destroy();
    await expect(p).rejects.toBeInstanceOf(ClientGoneError);
    await expect(sink.write(Buffer.alloc(1))).rejects.toBeInstanceOf(ClientGoneError);
  });

  it('deflates through to the response', async () => {
    const received: Buffer[] = [];
    const w = new Writable({
      write(chunk: Buffer, _enc, cb) {
        received.push(chunk);
        cb();
      },
    });
    const sink = new BodySink(w as unknown as ServerResponse, 'deflate');
    await sink.write(Buffer.from('hello '.repeat(1000)));
    await sink.end();
    expect(inflateSync(Buffer.concat(received)).toString()).toBe('hello '.repeat(1000));
  });

  it.each(['lz4', 'zstd'] as const)('%s bodies stream out before the end and decode to the input', async (codec) => {
    const received: Buffer[] = [];
    const w = new Writable({
      write(chunk: Buffer, _enc, cb) {
        received.push(chunk);
        cb();
      },
    });
    const sink = new BodySink(w as unknown as ServerResponse, codec);
    const input: Buffer[] = [];
    for (let i = 0; i < 48; i++) {
      const piece = Buffer.from(`row ${i} `.repeat(8000));
      input.push(piece);
      await sink.write(piece);
    }
    await tick();
    // Bytes left before end(): the encoder does not hold the whole body.
    expect(received.length).toBeGreaterThan(1);
    await sink.end();
    const out: Uint8Array[] = [];
    for await (const c of decompressBody((async function* () { yield* received; })(), codec === 'lz4' ? 'x-lz4-frame' : 'zstd')) out.push(c);
    expect(Buffer.concat(out).equals(Buffer.concat(input))).toBe(true);
  });
});
