import { describe, it, expect } from 'vitest';
import {
  Bool, DateDay, Field, Int64, makeData, RecordBatch, Schema, Struct, TimestampNanosecond, vectorFromArray, type Data,
  type DataType,
} from 'apache-arrow';
import {
  arrowBatchToRows, arrowSchemaFor, arrowTypeFor, decodeArrowPayload, decodeArrowStream, encodeArrowBatches,
  fieldNodeCount, frameArrowPayload, recordBatchMessages,
} from '../../src/tunnel/arrow/index.js';
import { parseType, Timestamp } from '../../src/types/index.js';

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
async function* chunksOf(b: Uint8Array, n: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < b.length; i += n) yield b.subarray(i, i + n);
}
const col = (type: DataType, values: unknown[]): Data => vectorFromArray(values, type).data[0]!;
const nsData = (values: (bigint | null)[]): Data => makeData({
  type: new TimestampNanosecond(), length: values.length, nullCount: values.filter((v) => v === null).length,
  nullBitmap: Uint8Array.from([values.reduce((m: number, v, i) => (v === null ? m : m | (1 << i)), 0)]),
  data: BigInt64Array.from(values.map((v) => v ?? 0n)),
});
const batchOf = (schema: Schema, children: Data[]): RecordBatch =>
  new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: children[0]!.length, nullCount: 0, children }));

describe('Arrow schema mapping (tunnel.md §4.4)', () => {
  it('maps every ODPS type', () => {
    const m = (t: string, o = {}): string => String(arrowTypeFor(parseType(t), o));
    expect(m('boolean')).toBe('Bool');
    expect([m('tinyint'), m('smallint'), m('int'), m('bigint')]).toEqual(['Int8', 'Int16', 'Int32', 'Int64']);
    expect([m('float'), m('double')]).toEqual(['Float32', 'Float64']);
    expect([m('string'), m('varchar(3)'), m('char(2)'), m('json')]).toEqual(['Utf8', 'Utf8', 'Utf8', 'Utf8']);
    expect(m('binary')).toBe('Binary');
    expect(m('date')).toBe('Date32<DAY>');
    expect(m('datetime')).toBe('Timestamp<MILLISECOND>');
    expect(m('timestamp')).toBe('Timestamp<NANOSECOND>');
    expect(m('timestamp_ntz')).toBe('Timestamp<NANOSECOND>');
    expect(m('timestamp', { timestampLayout: 'struct' })).toBe('Struct<{sec:Int64, nano:Int32}>');
    const dec = arrowTypeFor(parseType('decimal(38,18)')) as unknown as { precision: number; scale: number; bitWidth: number };
    expect([dec.precision, dec.scale, dec.bitWidth]).toEqual([38, 18, 128]);
    const legacy = arrowTypeFor(parseType('decimal')) as unknown as { precision: number; scale: number; bitWidth: number };
    expect([legacy.precision, legacy.scale, legacy.bitWidth]).toEqual([54, 18, 128]);
    expect(m('interval_day_time')).toBe('Interval<DAY_TIME>');
    expect(m('interval_year_month')).toBe('Interval<YEAR_MONTH>');
    expect(m('array<bigint>')).toBe('List<Int64>');
    expect(m('map<string,int>')).toBe('Map<{key:Utf8, value:Int32}>');
    expect(m('struct<a:int,b:array<string>>')).toBe('Struct<{a:Int32, b:List<Utf8>}>');
    expect(m('vector(float,4)')).toBe('List<Float32>');
    expect(m('void')).toBe('Null');
  });

  it('counts field nodes per layout', () => {
    const cols = [{ name: 'a', type: 'bigint' }, { name: 't', type: 'timestamp' }, { name: 'm', type: 'map<string,int>' }];
    expect(fieldNodeCount(arrowSchemaFor(cols))).toBe(1 + 1 + 4);
    expect(fieldNodeCount(arrowSchemaFor(cols, { timestampLayout: 'struct' }))).toBe(1 + 3 + 4);
  });
});

describe('Arrow batches through frame + deframe + decode', () => {
  const cols = [
    { name: 'id', type: 'bigint' }, { name: 's', type: 'string' }, { name: 't', type: 'timestamp' },
    { name: 'a', type: 'array<int>' }, { name: 'd', type: 'decimal(10,2)' }, { name: 'm', type: 'map<string,bigint>' },
    { name: 'day', type: 'date' }, { name: 'ok', type: 'boolean' },
  ];
  const schema = arrowSchemaFor(cols);
  const f = (i: number): DataType => schema.fields[i]!.type;
  const batch = batchOf(schema, [
    col(f(0), [1n, null, -(2n ** 63n)]),
    col(f(1), ['a', null, 'ccc']),
    nsData([1n, -1n, null]),
    col(f(3), [[1, 2], null, []]),
    col(f(4), [null, null, null]),
    col(f(5), [new Map([['k', 1n]]), null, new Map()]),
    makeData({ type: new DateDay(), length: 3, nullCount: 0, data: Int32Array.from([0, -1, 2932896]) }),
    col(new Bool(), [true, false, null]),
  ]);
  const expectedRows = [
    [1n, 'a', new Timestamp(0n, 1), [1, 2], null, new Map([['k', 1n]]), '1970-01-01', true],
    [null, null, new Timestamp(-1n, 999_999_999), null, null, null, '1969-12-31', false],
    [-(2n ** 63n), 'ccc', null, [], null, new Map(), '9999-12-31', null],
  ];

  it('converts a batch to value-model rows', () => {
    expect(arrowBatchToRows(batch, cols)).toEqual(expectedRows);
  });

  it('batch-only messages carry no schema and no EOS', () => {
    const msg = recordBatchMessages(batch);
    expect(Buffer.from(msg.subarray(0, 4)).readUInt32LE(0)).toBe(0xffffffff);
    expect(Buffer.from(msg.subarray(msg.length - 8)).equals(Buffer.from('ffffffff00000000', 'hex'))).toBe(false);
  });

  it('round-trips two batches through the framed body, in odd chunk sizes', async () => {
    const body = Buffer.concat(await collect(encodeArrowBatches([batch, batch], { chunkSize: 100 })));
    expect(body.readUInt32BE(0)).toBe(100);
    for (const n of [1, 7, 104, 4096]) {
      const batches = await collect(decodeArrowStream(chunksOf(body, n), cols));
      expect(batches.length).toBe(2);
      for (const b of batches) expect(arrowBatchToRows(b, cols)).toEqual(expectedRows);
    }
  });

  it('accepts a payload that ends with an EOS marker', async () => {
    const payload = Buffer.concat([recordBatchMessages(batch), Buffer.from('ffffffff00000000', 'hex')]);
    const batches = await collect(decodeArrowStream(chunksOf(frameArrowPayload(payload), 50), cols));
    expect(batches.length).toBe(1);
  });

  it('an empty body is no batches', async () => {
    expect(await collect(decodeArrowStream(chunksOf(new Uint8Array(0), 1), cols))).toEqual([]);
  });

  it('detects the instance-tunnel struct<sec,nano> TIMESTAMP layout', async () => {
    const tcols = [{ name: 'id', type: 'bigint' }, { name: 't', type: 'timestamp' }];
    const sschema = arrowSchemaFor(tcols, { timestampLayout: 'struct' });
    const secNano = makeData({
      type: sschema.fields[1]!.type as Struct, length: 2, nullCount: 1, nullBitmap: Uint8Array.from([0b01]),
      children: [col(new Int64(), [-2n, 0n]), col(sschema.fields[1]!.type.children[1]!.type, [500_000_000, 0])],
    });
    const b = batchOf(sschema, [col(new Int64(), [7n, 8n]), secNano]);
    const body = Buffer.concat(await collect(encodeArrowBatches([b])));
    let used: Schema | undefined;
    const out = await collect(decodeArrowStream(chunksOf(body, 64), tcols, { onSchema: (s) => { used = s; } }));
    expect(String(used!.fields[1]!.type)).toBe('Struct<{sec:Int64, nano:Int32}>');
    expect(arrowBatchToRows(out[0]!, tcols)).toEqual([[7n, new Timestamp(-2n, 500_000_000)], [8n, null]]);
    // Forcing the wrong layout is reported clearly.
    await expect(collect(decodeArrowStream(chunksOf(body, 64), tcols, { timestampLayout: 'ns' }))).rejects.toThrow(/field nodes/);
  });

  it('decodeArrowPayload works on the unframed payload', async () => {
    const payload = recordBatchMessages(batch);
    const out = await collect(decodeArrowPayload(chunksOf(payload, 3), cols));
    expect(arrowBatchToRows(out[0]!, cols)).toEqual(expectedRows);
  });

  it('decimal and datetime values', () => {
    const dcols = [{ name: 'd', type: 'decimal(20,3)' }, { name: 'dt', type: 'datetime' }];
    const s = arrowSchemaFor(dcols);
    const words = Uint32Array.from([0xfffffc18, 0xffffffff, 0xffffffff, 0xffffffff, 123456, 0, 0, 0]); // -1000, 123456
    const dec = makeData({ type: s.fields[0]!.type, length: 2, nullCount: 0, data: words });
    const dt = makeData({ type: s.fields[1]!.type, length: 2, nullCount: 0, data: BigInt64Array.from([-1500n, 0n]) });
    const b = batchOf(new Schema([new Field('d', s.fields[0]!.type), new Field('dt', s.fields[1]!.type)]), [dec, dt]);
    expect(arrowBatchToRows(b, dcols)).toEqual([['-1.000', new Date(-1500)], ['123.456', new Date(0)]]);
  });
});
