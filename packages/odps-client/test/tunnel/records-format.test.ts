import { describe, it, expect } from 'vitest';
import { crc32c as nativeCrc32c } from '@node-rs/crc32';
import { decodeRecordStream, encodeRecordStream } from '../../src/tunnel/records/index.js';
import { ChecksumError, TunnelError } from '../../src/errors.js';
import { concat, fromHex, hex, int32le, varint } from './records-helpers.js';

const crc = (b: Uint8Array): number => nativeCrc32c(Buffer.from(b));
const cols4 = [
  { name: 'id', type: 'bigint' },
  { name: 'name', type: 'string' },
  { name: 'score', type: 'double' },
  { name: 'flag', type: 'boolean' },
];

describe('record format: byte-exact illustrations (tunnel.md §3.4)', () => {
  it('CRC32C check value', () => {
    expect(crc(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
  });

  it('(-3, "ok", 2.0, false) record and footer', () => {
    const recordCrc = crc(fromHex(`
      01000000 fdffffffffffffff
      02000000 6f6b
      03000000 0000000000000040
      04000000 00`));
    const record = concat(
      fromHex('0805 12026f6b 19 0000000000000040 2000 80c0ff7f'),
      varint(recordCrc),
    );
    const totalCrc = crc(concat(int32le(recordCrc), int32le(recordCrc), int32le(recordCrc)));
    const expected = concat(record, record, record, fromHex('f0ffff7f 06 f8ffff7f'), varint(totalCrc));
    const row = [-3n, 'ok', 2.0, false];
    const bytes = encodeRecordStream(cols4, [row, row, row]);
    expect(hex(bytes)).toBe(hex(expected));
    expect(decodeRecordStream(cols4, expected)).toEqual({ rows: [row, row, row], recordCount: 3 });
  });

  it('array<bigint> [5, null] in column 2', () => {
    const cols = [{ name: 'a', type: 'int' }, { name: 'b', type: 'array<bigint>' }];
    const recordCrc = crc(fromHex('02000000 0500000000000000'));
    const expected = concat(fromHex('12 02 00 0a 01 80c0ff7f'), varint(recordCrc), fromHex('f0ffff7f 02 f8ffff7f'),
      varint(crc(int32le(recordCrc))));
    expect(hex(encodeRecordStream(cols, [[null, [5n, null]]]))).toBe(hex(expected));
    expect(decodeRecordStream(cols, expected).rows).toEqual([[null, [5n, null]]]);
  });

  it('an all-NULL record is 80 c0 ff 7f 00; zero records give total CRC 0', () => {
    const cols = [{ name: 'a', type: 'int' }, { name: 'b', type: 'string' }];
    const bytes = encodeRecordStream(cols, [[], [null, undefined]]);
    expect(hex(bytes)).toBe(hex(concat(fromHex('80c0ff7f00 80c0ff7f00 f0ffff7f04 f8ffff7f'), varint(crc(concat(int32le(0), int32le(0)))))));
    expect(decodeRecordStream(cols, bytes).rows).toEqual([[null, null], [null, null]]);
    expect(hex(encodeRecordStream(cols, []))).toBe('f0ffff7f00f8ffff7f00');
    expect(decodeRecordStream(cols, fromHex('f0ffff7f00f8ffff7f00'))).toEqual({ rows: [], recordCount: 0 });
  });

  it('uses the wire types of §3.3 and zigzag for every integer width', () => {
    const cols = [
      { name: 'a', type: 'tinyint' }, { name: 'b', type: 'float' }, { name: 'c', type: 'timestamp' },
      { name: 'd', type: 'decimal(5,1)' }, { name: 'e', type: 'date' },
    ];
    const bytes = encodeRecordStream(cols, [[-1, 1.5, new Date(1500), '1.5', '1970-01-02']]);
    // tinyint -1: tag 08, zigzag 01; float tag 15 (field 2, wt 5); timestamp tag 1a: zz(1)=02, zz(5e8)
    const nanos = varint(1_000_000_000);
    expect(hex(bytes.subarray(0, 21))).toBe(hex(concat(fromHex('0801 15 0000c03f 1a 02'), nanos,
      fromHex('22 03 312e35 28 02'))));
  });

  it('writes a CRC of 2^31 and above as 5 bytes', () => {
    const bytes = encodeRecordStream(cols4, [[-3n, 'ok', 2.0, false]]);
    const recordCrc = crc(fromHex('01000000 fdffffffffffffff 02000000 6f6b 03000000 0000000000000040 04000000 00'));
    expect(recordCrc).toBeGreaterThanOrEqual(2 ** 31);
    expect(hex(bytes.subarray(21, 26))).toBe(hex(varint(recordCrc)));
  });
});

describe('record format: reader tolerance and errors', () => {
  const row = [-3n, 'ok', 2.0, false];
  const one = (): Uint8Array => encodeRecordStream(cols4, [row]);

  it('accepts fields in any order and names the column list positions', () => {
    const cols = [{ name: 'x', type: 'string' }, { name: 'y', type: 'bigint' }];
    const recordCrc = crc(fromHex('02000000 0700000000000000 01000000 6869'));
    const body = concat(fromHex('10 0e 0a 02 6869 80c0ff7f'), varint(recordCrc), fromHex('f0ffff7f02f8ffff7f'), varint(crc(int32le(recordCrc))));
    expect(decodeRecordStream(cols, body).rows).toEqual([['hi', 7n]]);
    // the same bytes read with a one-column projection: field 2 is out of range
    expect(() => decodeRecordStream([cols[0]!], body)).toThrow(/invalid field number 2/);
  });

  it('projection: field numbers follow the given column list', () => {
    const bytes = encodeRecordStream([{ name: 'score', type: 'double' }, { name: 'id', type: 'bigint' }], [[2.0, -3n]]);
    expect(hex(bytes.subarray(0, 11))).toBe('0900000000000000401005');
  });

  it('a flipped byte gives ChecksumError naming the record index', () => {
    const rows = [row, row, [5n, 'ab', 1.0, true]];
    const bytes = encodeRecordStream(cols4, rows);
    const recLen = 26; // 17 value bytes + END_RECORD tag + 5-byte CRC
    const bad = new Uint8Array(bytes);
    bad[2 * recLen + 5]! ^= 0x01; // inside the string of record 2 ('ab' -> 'ac')
    let err: unknown;
    try { decodeRecordStream(cols4, bad); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(ChecksumError);
    expect((err as ChecksumError).recordIndex).toBe(2);
    expect((err as Error).message).toMatch(/record 2/);
    const base = decodeRecordStream.bind(null, cols4, bad, { recordIndexBase: 100 });
    expect(base).toThrow(/record 102/);
  });

  it('a wrong total CRC or count is caught', () => {
    const bytes = new Uint8Array(one());
    const badTotal = new Uint8Array(bytes);
    badTotal[badTotal.length - 2]! ^= 0x01;
    expect(() => decodeRecordStream(cols4, badTotal)).toThrow(ChecksumError);
    const badCount = new Uint8Array(bytes);
    const countPos = 26 + 4;
    expect(badCount[countPos]).toBe(2);
    badCount[countPos] = 4;
    expect(() => decodeRecordStream(cols4, badCount)).toThrow(/footer counts 2 records but the body held 1/);
  });

  it('every truncation is a clear TunnelError', () => {
    const bytes = encodeRecordStream(cols4, [row, row]);
    for (let cut = 0; cut < bytes.length; cut++) {
      let err: unknown;
      try { decodeRecordStream(cols4, bytes.subarray(0, cut)); } catch (e) { err = e; }
      expect(err, `cut at ${cut}`).toBeInstanceOf(TunnelError);
      expect((err as TunnelError).code).toBe('TruncatedStream');
      expect((err as Error).message).toMatch(/truncated stream: the body ended/);
    }
  });

  it('rejects bytes after the footer', () => {
    expect(() => decodeRecordStream(cols4, concat(one(), fromHex('00')))).toThrow(/after the stream footer/);
  });

  it('accepts a 10-byte (sign-extended) CRC varint', () => {
    const bytes = one();
    const recordCrc = crc(fromHex('01000000 fdffffffffffffff 02000000 6f6b 03000000 0000000000000040 04000000 00'));
    const tenBytes = varint(BigInt(recordCrc) | 0xffffffff00000000n);
    expect(tenBytes.length).toBe(10);
    const patched = concat(bytes.subarray(0, 21), tenBytes, bytes.subarray(26));
    expect(decodeRecordStream(cols4, patched).rows).toEqual([row]);
  });

  it('accepts the server metrics trailer and checks its CRC', () => {
    const bytes = one();
    const footerStart = 26;
    const json = new TextEncoder().encode('{"a":1}');
    const metricsCrc = crc(concat(int32le(1), json));
    const trailer = concat(fromHex('0a'), varint(json.length), json, fromHex('80f0ff7f'), varint(metricsCrc));
    const withMetrics = concat(bytes.subarray(0, footerStart + 5), trailer, bytes.subarray(footerStart + 5));
    const out = decodeRecordStream(cols4, withMetrics);
    expect(out.rows).toEqual([row]);
    expect(out.metrics).toBe('{"a":1}');
    const badTrailer = concat(fromHex('0a'), varint(json.length), json, fromHex('80f0ff7f'), varint(metricsCrc ^ 1));
    expect(() => decodeRecordStream(cols4, concat(bytes.subarray(0, footerStart + 5), badTrailer, bytes.subarray(footerStart + 5))))
      .toThrow(ChecksumError);
  });

  it('reads an in-stream schema block', () => {
    const json = new TextEncoder().encode('{"columns":[]}');
    const head = concat(fromHex('0a'), varint(json.length), json, fromHex('80e0ff7f'), varint(crc(concat(int32le(1), json))));
    const d = decodeRecordStream(cols4, concat(head, one()), { schemaInStream: true });
    expect(d.rows).toEqual([row]);
  });

  it('rejects rows with more values than columns, fills missing trailing values with NULL', () => {
    expect(() => encodeRecordStream(cols4, [[1n, 'a', 1, true, 'extra']])).toThrow(/at most 4 values/);
    expect(decodeRecordStream(cols4, encodeRecordStream(cols4, [[1n]])).rows).toEqual([[1n, null, null, null]]);
  });

  it('bad values name the column', () => {
    expect(() => encodeRecordStream(cols4, [[1n, 5]])).toThrow(/"name" must be string, got number/);
  });
});
