import { crc32c } from '@node-rs/crc32';
import { describe, expect, it } from 'vitest';
import { metricsTrailer } from '../../src/server/tunnel/record-body.js';

describe('metrics trailer', () => {
  it('is field 1 (wire type 2) with the JSON, then END_METRICS and CRC32C(int32LE(1) ‖ json)', () => {
    const bytes = Buffer.from(metricsTrailer('{}'));
    const crc = crc32c(Buffer.from([1, 0, 0, 0, 0x7b, 0x7d]));
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x0a, 0x02, 0x7b, 0x7d, 0x80, 0xf0, 0xff, 0x7f]));
    // uint32 varint of the CRC.
    let v = 0;
    let shift = 0;
    for (let p = 8; p < bytes.length; p++) {
      v += (bytes[p]! & 0x7f) * 2 ** shift;
      shift += 7;
      if ((bytes[p]! & 0x80) === 0) expect(p).toBe(bytes.length - 1);
    }
    expect(v).toBe(crc);
  });
});
