// Decoder fast paths (one-byte tags/lengths/null flags, map scratch keys) against their general forms.
import { describe, it, expect } from 'vitest';
import { crc32c as nativeCrc32c } from '@node-rs/crc32';
import { decodeRecordStream, encodeRecordStream, RecordStreamDecoder } from '../../src/tunnel/records/index.js';
import { TunnelError } from '../../src/errors.js';
import { hasLoneSurrogate } from '../../src/types/text-checks.js';
import { ValueTypeError } from '../../src/types/value-type-error.js';
import { concat, fromHex, int32le, varint } from './records-helpers.js';

const crc = (b: Uint8Array): number => nativeCrc32c(Buffer.from(b));

/** A one-record stream: the given field bytes, END_RECORD with `recordCrc`, and the footer. */
function stream(fields: Uint8Array, recordCrc: number): Uint8Array {
  return concat(fields, fromHex('80c0ff7f'), varint(recordCrc), fromHex('f0ffff7f 02 f8ffff7f'), varint(crc(int32le(recordCrc))));
}

describe('record encoder short-string UTF-8 path', () => {
  it('writes the same bytes as Buffer UTF-8 for every kind of code unit and length edge', () => {
    const cols1 = [{ name: 's', type: 'string' }];
    const units = ['a', '\u007f', '\u0080', '\u07ff', '\u0800', 'é', '数', '\ud7ff', '\ue000', '\uffff', '😀', '\ud800', '\udfff', 'x\ud83d'];
    const samples: string[] = ['', ...units];
    for (const u of units) for (const n of [10, 31, 32, 33]) samples.push(u.repeat(Math.ceil(n / u.length)).slice(0, n));
    samples.push('naïve 数据 übung', 'ab😀cd', '\u0000\u0001');
    for (const s of samples) {
      // A lone surrogate has no UTF-8 form: refused rather than written as U+FFFD.
      if (hasLoneSurrogate(s)) {
        expect(() => encodeRecordStream(cols1, [[s]]), JSON.stringify(s)).toThrow(ValueTypeError);
        continue;
      }
      const asText = encodeRecordStream(cols1, [[s]]);
      const asBytes = encodeRecordStream(cols1, [[Buffer.from(s, 'utf8')]]);
      expect(Buffer.from(asText).toString('hex'), JSON.stringify(s)).toBe(Buffer.from(asBytes).toString('hex'));
    }
  });
});

describe('record decoder fast paths', () => {
  const cols = [
    { name: 'm', type: 'map<string,bigint>' },
    { name: 's', type: 'string' },
    { name: 'a', type: 'array<map<string,string>>' },
  ];
  const rows = [
    [new Map<string, bigint | null>([['k1', 1n], ['k2', null], ['ключ', -5n]]), 'x'.repeat(300), [new Map([['a', 'b']]), null, new Map()]],
    [new Map(), '', []],
    [null, 'naïve 数据', null],
    [new Map([['only', 9007199254740993n]]), null, [new Map([['z', null], ['y', 'w']])]],
  ];

  it('decodes the same rows from 1-byte chunks as from one buffer (every split point)', () => {
    const bytes = encodeRecordStream(cols, rows);
    expect(decodeRecordStream(cols, bytes).rows).toEqual(rows);
    const d = new RecordStreamDecoder(cols);
    const got: unknown[] = [];
    for (let i = 0; i < bytes.length; i++) got.push(...d.push(bytes.subarray(i, i + 1)));
    got.push(...d.end());
    expect(got).toEqual(rows);
    expect(d.finished).toBe(true);
  });

  it('accepts multi-byte null flags and length prefixes (non-minimal varints)', () => {
    // array<string> column 1: count 2, null flag 0 written as `80 00`, length 2 written as `82 00`, then a null flag `81 00`.
    const cols1 = [{ name: 'a', type: 'array<string>' }];
    const fields = fromHex('0a 02 8000 8200 6f6b 8100');
    const recordCrc = crc(concat(int32le(1), fromHex('6f6b')));
    expect(decodeRecordStream(cols1, stream(fields, recordCrc)).rows).toEqual([[['ok', null]]]);
  });

  it('map with different key and value counts is a CorruptStream error', () => {
    const cols1 = [{ name: 'm', type: 'map<string,bigint>' }];
    // keys ["a"], values [1, 2]
    const fields = fromHex('0a 01 00 0161 02 00 02 00 04');
    const recordCrc = crc(concat(int32le(1), fromHex('61'), fromHex('0100000000000000 0200000000000000')));
    const err = (() => {
      try {
        decodeRecordStream(cols1, stream(fields, recordCrc));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(TunnelError);
    expect((err as TunnelError).code).toBe('CorruptStream');
    expect((err as Error).message).toMatch(/map key and value counts differ/);
  });
});
