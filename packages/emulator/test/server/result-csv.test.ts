// The `?result` CSV bytes: BINARY raw, text as UTF-8, NULL vs a "\N" string, -0.
import { describe, expect, it } from 'vitest';
import { formatResultCsv } from '../../src/server/instances/result-csv.js';

describe('formatResultCsv', () => {
  const cols = [{ name: 'b', type: 'binary' }, { name: 's', type: 'string' }, { name: 'f', type: 'float' }];

  it('writes BINARY as its raw bytes, quoting only when a CSV structure byte is inside', () => {
    const csv = formatResultCsv(cols, [
      [Uint8Array.of(0x00, 0x7f, 0x80, 0xff, 0xfe), 'é', -0],
      [Uint8Array.of(0x22, 0x2c, 0x0a), '\\N', 1.5],
      [null, null, null],
    ]);
    const expected = Buffer.concat([
      Buffer.from('b,s,f\n'),
      Buffer.from([0x00, 0x7f, 0x80, 0xff, 0xfe]), Buffer.from(',é,-0\n'),
      Buffer.from([0x22, 0x22, 0x22, 0x2c, 0x0a, 0x22]), Buffer.from(',"\\N",1.5\n'),
      Buffer.from('\\N,\\N,\\N\n'),
    ]);
    expect(csv.toString('hex')).toBe(expected.toString('hex'));
  });
});
