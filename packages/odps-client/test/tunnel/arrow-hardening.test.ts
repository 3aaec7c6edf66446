// Corrupt Arrow payloads (valid CRCs, broken IPC) must end in a typed TunnelError; valid ones decode unchanged.
import { describe, expect, it } from 'vitest';
import {
  IntervalYearMonth as ArrowIntervalYearMonth, makeData, Message, RecordBatch, Schema, Struct, Type, vectorFromArray, Field, type Data,
} from 'apache-arrow';
import { BufferRegion, FieldNode, Message as MetaMessage, RecordBatch as MetaRecordBatch } from 'apache-arrow/ipc/metadata/message';
import { OdpsError, TunnelError } from '../../src/errors.js';
import {
  arrowBatchToRows, arrowSchemaFor, decodeArrowPayload, decodeArrowStream, frameArrowPayload, recordBatchMessages, schemaMessageBytes,
} from '../../src/tunnel/arrow/index.js';
import { IntervalYearMonth, Timestamp } from '../../src/types/index.js';
import { prng } from '../../../../tests/support/prng.js';

const COLUMNS = [
  { name: 'id', type: 'bigint' }, { name: 's', type: 'string' }, { name: 'tags', type: 'array<int>' },
  { name: 'm', type: 'map<string,bigint>' }, { name: 'st', type: 'struct<a:int,b:string>' }, { name: 'ok', type: 'boolean' },
  { name: 'bin', type: 'binary' }, { name: 'amount', type: 'decimal(10,2)' }, { name: 'ym', type: 'interval_year_month' },
  { name: 'ts', type: 'timestamp' },
];
const ROWS: unknown[][] = [
  [1n, 'a', [1, 2], new Map([['k', 1n]]), { a: 1, b: 'x' }, true, Uint8Array.of(1, 2), null, new IntervalYearMonth(14), new Timestamp(1n, 5)],
  [null, null, null, null, null, null, null, null, null, null],
  [-(2n ** 63n), 'ccc', [], new Map(), { a: null, b: 'z' }, false, new Uint8Array(0), null, new IntervalYearMonth(-1), new Timestamp(-2n, 500_000_000)],
];

function batchFor(layout: 'ns' | 'struct'): RecordBatch {
  const schema = arrowSchemaFor(COLUMNS, { timestampLayout: layout });
  const values = (k: number): unknown[] => ROWS.map((r) => {
    const v = r[k];
    if (v instanceof IntervalYearMonth) return v.months;
    if (v instanceof Timestamp) return layout === 'ns' ? v.epochSeconds * 1_000_000_000n + BigInt(v.nanos) : { sec: v.epochSeconds, nano: v.nanos };
    if (v instanceof Uint8Array) return v;
    return v;
  });
  const children: Data[] = schema.fields.map((f, k) => {
    const v = values(k);
    // vectorFromArray takes neither bigint nanoseconds nor plain month counts; build those buffers directly.
    const direct = (data: BigInt64Array | Int32Array): Data => makeData({
      type: f.type as ArrowIntervalYearMonth, length: v.length, nullCount: v.filter((x) => x === null).length,
      nullBitmap: Uint8Array.of(v.reduce((m: number, x, i) => (x === null ? m : m | (1 << i)), 0)), data: data as Int32Array,
    });
    if (layout === 'ns' && f.type.typeId === Type.Timestamp) return direct(BigInt64Array.from(v.map((x) => (x as bigint | null) ?? 0n)));
    if (f.type.typeId === Type.Interval) return direct(Int32Array.from(v.map((x) => (x as number | null) ?? 0)));
    return vectorFromArray(v, f.type).data[0]!;
  });
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: ROWS.length, nullCount: 0, children }));
}

async function* chunksOf(b: Uint8Array, n: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < b.length; i += n) yield b.subarray(i, i + n);
}

async function rowsOf(payload: Uint8Array, layout: 'ns' | 'struct' | 'auto' = 'auto', chunk = 1 << 16): Promise<unknown[][]> {
  const out: unknown[][] = [];
  for await (const b of decodeArrowPayload(chunksOf(payload, chunk), COLUMNS, { timestampLayout: layout })) out.push(...arrowBatchToRows(b, COLUMNS));
  return out;
}

async function failure(p: Promise<unknown>): Promise<TunnelError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(TunnelError);
  return err as TunnelError;
}

const EOS = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0);

interface Parts { meta: Uint8Array; body: Uint8Array }
/** Splits batch-only bytes into (metadata, body) per message. */
function split(payload: Uint8Array): Parts[] {
  const dv = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const out: Parts[] = [];
  let p = 0;
  while (p < payload.byteLength) {
    const len = dv.getInt32(p + 4, true);
    const meta = payload.subarray(p + 8, p + 8 + len);
    const bodyLength = Number(Message.decode(meta).bodyLength);
    out.push({ meta, body: payload.subarray(p + 8 + len, p + 8 + len + bodyLength) });
    p += 8 + len + bodyLength;
  }
  return out;
}

function frame(meta: Uint8Array, body: Uint8Array): Uint8Array {
  const padded = new Uint8Array(Math.ceil(meta.byteLength / 8) * 8);
  padded.set(meta);
  const prefix = Buffer.alloc(8);
  prefix.writeInt32LE(-1, 0);
  prefix.writeInt32LE(padded.byteLength, 4);
  return Buffer.concat([prefix, padded, body]);
}

interface Header { length: number; nodes: [number, number][]; buffers: [number, number][]; bodyLength: number }
/** Re-encodes the first message's RecordBatch header after `edit` (the body stays as it was). */
function editFirst(payload: Uint8Array, edit: (h: Header) => void): Uint8Array {
  const [first, ...rest] = split(payload);
  const m = Message.decode(first!.meta);
  const rb = m.header() as unknown as { length: number; nodes: { length: number; nullCount: number }[]; buffers: { offset: number; length: number }[] };
  const h: Header = {
    length: rb.length, bodyLength: Number(m.bodyLength),
    nodes: rb.nodes.map((n) => [n.length, n.nullCount]), buffers: rb.buffers.map((b) => [b.offset, b.length]),
  };
  edit(h);
  const header = new MetaRecordBatch(h.length, h.nodes.map(([l, n]) => new FieldNode(l, n)), h.buffers.map(([o, l]) => new BufferRegion(o, l)), null);
  const meta = MetaMessage.encode(MetaMessage.from(header, h.bodyLength));
  return Buffer.concat([frame(meta, first!.body), ...rest.map((r) => frame(r.meta, r.body))]);
}

const valid = recordBatchMessages(batchFor('ns'));

describe('Arrow payload hardening: valid input', () => {
  it('decodes exactly, whatever the chunking, with and without EOS, in both TIMESTAMP layouts', async () => {
    for (const chunk of [1, 7, 64, 1 << 16]) {
      expect(await rowsOf(valid, 'auto', chunk)).toEqual(ROWS);
      expect(await rowsOf(Buffer.concat([valid, EOS]), 'auto', chunk)).toEqual(ROWS);
    }
    expect(await rowsOf(recordBatchMessages(batchFor('struct')))).toEqual(ROWS);
    const two = Buffer.concat([valid, valid]);
    expect(await rowsOf(two)).toEqual([...ROWS, ...ROWS]);
    // Re-encoding an unmodified header is a no-op, so the edit tests below only change what they edit.
    expect(await rowsOf(editFirst(two, () => undefined))).toEqual([...ROWS, ...ROWS]);
  });

  it('reads the pre-0.15 message prefix (bare int32 metadata length) too', async () => {
    const legacy = Buffer.concat(split(Buffer.concat([valid, valid])).map(({ meta, body }) => frame(meta, body).subarray(4)));
    expect(await rowsOf(legacy, 'auto', 5)).toEqual([...ROWS, ...ROWS]);
    expect(await rowsOf(Buffer.concat([legacy, new Uint8Array(4)]))).toEqual([...ROWS, ...ROWS]);
  });

  it('an empty payload is no batches; a lone EOS is no rows', async () => {
    expect(await rowsOf(new Uint8Array(0))).toEqual([]);
    expect(await rowsOf(EOS)).toEqual([]);
  });

  it('framed end to end', async () => {
    const out: unknown[][] = [];
    for await (const b of decodeArrowStream(chunksOf(frameArrowPayload(valid, 100), 33), COLUMNS)) out.push(...arrowBatchToRows(b, COLUMNS));
    expect(out).toEqual(ROWS);
  });
});

describe('Arrow payload hardening: message prefix and metadata', () => {
  const withMetaLength = (n: number): Uint8Array => {
    const c = Buffer.from(valid);
    c.writeInt32LE(n, 4);
    return c;
  };

  it('refuses negative and implausible metadata lengths without buffering the rest', async () => {
    expect((await failure(rowsOf(withMetaLength(-5)))).code).toBe('MalformedArrowStream');
    const err = await failure(rowsOf(withMetaLength(0x7ffffff0)));
    expect(err.code).toBe('MalformedArrowStream');
    expect(err.message).toMatch(/metadata length/);
  });

  it('a metadata length past the payload end is a truncation', async () => {
    expect((await failure(rowsOf(withMetaLength(valid.byteLength)))).code).toBe('TruncatedStream');
  });

  it('bytes after EOS, stray bytes at the end, and a non-batch message are refused', async () => {
    expect((await failure(rowsOf(Buffer.concat([valid, EOS, Uint8Array.of(1)])))).message).toMatch(/after the end-of-stream/);
    expect((await failure(rowsOf(Buffer.concat([valid, Uint8Array.of(1, 2, 3)])))).code).toBe('TruncatedStream');
    const schemaFirst = Buffer.concat([schemaMessageBytes(arrowSchemaFor(COLUMNS)), valid]);
    expect((await failure(rowsOf(schemaFirst))).message).toMatch(/expected a RecordBatch message, got Schema/);
  });

  it('a nodes vector claiming 2^31 entries fails fast (it used to make apache-arrow loop out of memory)', async () => {
    const [first] = split(valid);
    const meta = Buffer.from(first!.meta);
    // Find the nodes vector length: the int32 equal to the node count followed by the first node's length.
    const nodeCount = (Message.decode(meta).header() as unknown as { nodes: unknown[] }).nodes.length;
    let at = -1;
    for (let i = 0; i + 12 <= meta.length; i += 4) {
      if (meta.readInt32LE(i) === nodeCount && meta.readInt32LE(i + 4) === ROWS.length && meta.readInt32LE(i + 8) === 0) at = i;
    }
    expect(at).toBeGreaterThan(0);
    meta.writeInt32LE(0x7fffffff, at);
    const err = await failure(rowsOf(frame(meta, first!.body)));
    expect(err.code).toBe('MalformedArrowStream');
    expect(err.message).toMatch(/RecordBatch\.nodes/);
  });

  it('a field node count that does not match the columns is ArrowSchemaMismatch on the first batch', async () => {
    const err = await failure(rowsOf(editFirst(valid, (h) => { h.nodes.pop(); })));
    expect(err.code).toBe('ArrowSchemaMismatch');
  });
});

describe('Arrow payload hardening: header against the schema layout', () => {
  const cases: [string, (h: Header) => void, RegExp][] = [
    ['row count beyond int32', (h) => { h.length = 2 ** 40; }, /row count/],
    ['row count beyond the columns', (h) => { h.length = 1e9; }, /batch has 1000000000/],
    ['column longer than the batch', (h) => { h.nodes[0]![0] = 4; }, /4 values, its batch has 3/],
    ['node length beyond its buffers', (h) => { h.length = 1e9; h.nodes.forEach((n) => { n[0] = 1e9; }); }, /bytes, \d+ needed/],
    ['null count above length', (h) => { h.nodes[0]![1] = 4; }, /null count 4 of 3/],
    ['negative null count', (h) => { h.nodes[0]![1] = -1; }, /null count -1/],
    ['buffer past the body', (h) => { h.buffers[1]![0] = h.bodyLength; }, /outside the \d+-byte body/],
    ['negative buffer offset', (h) => { h.buffers[1]![0] = -8; }, /outside/],
    ['missing buffer', (h) => { h.buffers.pop(); }, /only \d+ buffers/],
    ['extra buffer', (h) => { h.buffers.push([0, 0]); }, /buffers, the schema/],
    ['body far longer than its buffers', (h) => { h.bodyLength = 1e12; }, /buffers end at/],
    ['misaligned int64 values', (h) => { h.buffers[1]![0] += 4; h.buffers[1]![1] -= 4; }, /aligned|needed/],
    ['offsets too short for the rows', (h) => { h.buffers[3]![1] = 8; }, /offsets buffer has 8 bytes, 16 needed/],
    ['struct child shorter than its struct', (h) => { h.nodes[9]![0] = 2; }, /column "st": 2 values, its parent needs 3/],
  ];
  for (const [name, edit, why] of cases) {
    it(name, async () => {
      const err = await failure(rowsOf(editFirst(valid, edit)));
      expect(err.code).toBe('MalformedArrowStream');
      expect(err.message).toMatch(why);
    });
  }

  it('validity bitmap too short when nulls are declared', async () => {
    // Column 0's validity buffer is 1 byte for 3 rows; claim 1000 rows for every node and keep the buffers.
    const err = await failure(rowsOf(editFirst(valid, (h) => { h.length = 1000; h.nodes.forEach((n) => { n[0] = 1000; }); })));
    expect(err.message).toMatch(/validity buffer has \d+ bytes, 125 needed/);
  });
});

describe('Arrow payload hardening: values apache-arrow built', () => {
  it('decreasing list offsets are refused before row conversion', async () => {
    const [first] = split(valid);
    const m = Message.decode(first!.meta).header() as unknown as { buffers: { offset: number }[] };
    // tags (column 2) offsets are buffer 6 (id: 2 buffers, s: 3, tags: validity then offsets).
    const body = Buffer.from(first!.body);
    body.writeInt32LE(9, m.buffers[6]!.offset + 4);
    const err = await failure(rowsOf(frame(first!.meta, body)));
    expect(err.code).toBe('MalformedArrowStream');
    expect(err.message).toMatch(/column "tags"/);
  });

  it('a struct<sec,nano> TIMESTAMP with an impossible nano field is a typed error in row conversion', async () => {
    const payload = Buffer.from(recordBatchMessages(batchFor('struct')));
    const [first] = split(payload);
    const h = Message.decode(first!.meta).header() as unknown as { buffers: { offset: number }[] };
    const nanoValues = h.buffers[h.buffers.length - 1]!.offset;
    const body = Buffer.from(first!.body);
    body.writeInt32LE(2_000_000_000, nanoValues);
    const err = await failure(rowsOf(frame(first!.meta, body), 'struct'));
    expect(err.code).toBe('MalformedArrowStream');
    expect(err.message).toMatch(/nano field 2000000000/);
  });

  it('arrowBatchToRows turns a value class RangeError on a hand-made batch into a TunnelError', () => {
    const type = new ArrowIntervalYearMonth();
    const data = makeData({ type, length: 4, nullCount: 0, data: new Int32Array(1) });
    const schema = new Schema([new Field('ym', type, true)]);
    const batch = new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: 4, nullCount: 0, children: [data] }));
    let err: unknown;
    try {
      arrowBatchToRows(batch);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TunnelError);
    expect((err as TunnelError).code).toBe('MalformedArrowStream');
    expect((err as TunnelError).cause).toBeInstanceOf(RangeError);
  });
});

describe('Arrow payload hardening: seeded mutations of a nested payload', () => {
  // ARROW_HARDENING_RUNS raises the count for a soak run.
  const runs = Number(process.env['ARROW_HARDENING_RUNS'] ?? 1500);
  it(`${runs} byte flips, truncations and insertions in both layouts end in rows or a typed error`, async () => {
    const rnd = prng(0x4a11);
    const int = (n: number): number => Math.floor(rnd() * n);
    const payloads = [Buffer.concat([valid, valid]), Buffer.from(recordBatchMessages(batchFor('struct')))];
    const codes = new Map<string, number>();
    const untyped: string[] = [];
    for (let i = 0; i < runs; i++) {
      const base = payloads[i % 2]!;
      let input: Uint8Array;
      switch (i % 3) {
        case 0: {
          input = Buffer.from(base);
          for (let k = 0; k < 1 + int(3); k++) input[int(input.length)]! ^= 1 + int(255);
          break;
        }
        case 1: input = base.subarray(0, int(base.length)); break;
        default: {
          const at = int(base.length);
          input = Buffer.concat([base.subarray(0, at), Uint8Array.of(int(256), int(256)), base.subarray(at)]);
        }
      }
      try {
        await rowsOf(input, 'auto', 1 + int(200));
      } catch (e) {
        const code = e instanceof OdpsError ? `${e.name}/${e.code}` : 'untyped';
        codes.set(code, (codes.get(code) ?? 0) + 1);
        if (!(e instanceof OdpsError)) untyped.push(`#${i}: ${String(e)}`);
      }
    }
    if (runs > 1500) console.info(`arrow hardening soak: ${runs} runs, ${[...codes].map(([c, n]) => `${c} ${n}`).join(', ')}`);
    expect(untyped).toEqual([]);
    expect(codes.get('TunnelError/MalformedArrowStream') ?? 0).toBeGreaterThan(runs / 15);
  });
});
