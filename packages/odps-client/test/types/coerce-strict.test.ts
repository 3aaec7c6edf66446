// Values that would change on the way to the wire are refused: FLOAT over/underflow, lone UTF-16 surrogates.
import { describe, expect, it } from 'vitest';
import { coerceValue, parseType, ValueTypeError } from '../../src/types/index.js';
import { compileCanonicalCheck } from '../../src/tunnel/records/canonical.js';
import { decodeRecordStream, encodeRecordStream, RecordStreamEncoder } from '../../src/tunnel/records/index.js';

const FLOAT_MAX = 3.4028234663852886e38;
const FLOAT_MIN_SUBNORMAL = 1.401298464324817e-45;

/** Every way a value reaches the record encoder: coerceValue, and the canonical fast path (floats only). */
function refused(typeText: string, v: unknown, re: RegExp, canonicalToo = true): void {
  const type = parseType(typeText);
  expect(() => coerceValue(type, v, 'c')).toThrow(ValueTypeError);
  expect(() => coerceValue(type, v, 'c')).toThrow(re);
  // Text skips this check: the encoder finds lone surrogates while it reads the characters.
  if (canonicalToo) expect(compileCanonicalCheck(type)(v)).toBe(false);
  const cols = [{ name: 'x', type: 'bigint' }, { name: 'c', type: typeText }];
  const enc = new RecordStreamEncoder(cols);
  enc.write([1n, null]);
  const before = enc.byteCount;
  let err: unknown;
  try {
    enc.write([2n, v]);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ValueTypeError);
  expect((err as ValueTypeError).column).toMatch(/^c/);
  expect((err as Error).message).toMatch(re);
  // Nothing of the refused row stays in the stream: it still decodes to the one good row.
  expect(enc.byteCount).toBe(before);
  expect(enc.recordCount).toBe(1);
  const out = Buffer.concat([enc.flush() ?? new Uint8Array(0), enc.finish()]);
  expect(decodeRecordStream(cols, out).rows).toEqual([[1n, null]]);
}

function kept(typeText: string, v: unknown, read: unknown = v): void {
  const cols = [{ name: 'c', type: typeText }];
  expect(decodeRecordStream(cols, encodeRecordStream(cols, [[v]])).rows).toEqual([[read]]);
}

describe('FLOAT range (stored as float32)', () => {
  it('refuses finite values that overflow float32 and non-zero values that underflow to zero', () => {
    const over = [3.5e38, -3.5e38, 1e300, -1e39, Number.MAX_VALUE, 3.4028235677973366e38];
    const under = [1e-50, -1e-46, Number.MIN_VALUE, 7e-46];
    for (const v of over) refused('float', v, /out of FLOAT range/);
    for (const v of under) refused('float', v, /underflows FLOAT to zero/);
    for (const v of [...over, ...under]) {
      refused('array<float>', [1, v], /FLOAT/);
      refused('map<string,float>', new Map([['k', v]]), /FLOAT/);
      refused('vector<float,2>', [0, v], /FLOAT/);
    }
  });

  it('keeps every value float32 can hold, rounding like Math.fround (subnormals included)', () => {
    for (const v of [0, -0, 1.5, FLOAT_MAX, -FLOAT_MAX, FLOAT_MIN_SUBNORMAL, -FLOAT_MIN_SUBNORMAL, 1.17549435e-38, NaN, Infinity, -Infinity]) {
      kept('float', v, Math.fround(v));
    }
    // 3.4028235e38 > FLOAT_MAX as a double, but rounds to FLOAT_MAX: not an overflow.
    kept('float', 3.4028235e38, FLOAT_MAX);
    kept('float', 0.1, Math.fround(0.1));
    kept('double', 1e300);
    kept('double', 1e-320);
  });
});

describe('lone surrogates in text', () => {
  const lone = ['x\uD800y', '\uDC00', '\uD800', 'ab\uDBFF', '\uDFFFz', 'y'.repeat(100) + '\uD83D', '\uDE00\uD83D', 'é'.repeat(40) + '\uD800' + 'é'];
  it('are refused for STRING, VARCHAR, CHAR and JSON, short and long, nested too', () => {
    for (const s of lone) {
      refused('string', s, /lone surrogate/, false);
      refused('varchar(200)', s, /lone surrogate/, false);
      refused('char(200)', s, /lone surrogate/, false);
      refused('json', s, /lone surrogate/, false);
      refused('array<string>', ['ok', s], /lone surrogate/, false);
      refused('map<string,string>', new Map([[s, 'v']]), /lone surrogate/, false);
      refused('struct<a:string>', { a: s }, /lone surrogate/, false);
    }
  });

  it('well-formed text (pairs included) still round-trips', () => {
    for (const s of ['', 'a', '😀', 'x😀y', '中'.repeat(50), '😀'.repeat(40), '\uD83D\uDE00'.repeat(3) + 'tail']) kept('string', s);
  });

  it('BINARY given as a string must be well-formed too (it is UTF-8 encoded)', () => {
    expect(() => coerceValue(parseType('binary'), 'a\uD800', 'c')).toThrow(/lone surrogate/);
  });
});
