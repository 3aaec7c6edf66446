// Bounds-checked reads of varints and fixed values over one contiguous buffer, BigInt-free (design §6).
import { TunnelError } from '../../errors.js';
import { ChecksumBuilder } from './checksum-builder.js';

/** Thrown (not an Error, never escapes the decoder) when a read runs past the buffered bytes. */
export class NeedMore {
  /** Smallest total buffer length (from the reader's start) that could let the read succeed. */
  need = 0;
}
export const NEED_MORE = new NeedMore();

export function corrupt(message: string): TunnelError {
  return new TunnelError(`corrupt record stream: ${message}`, { code: 'CorruptStream' });
}

interface Utf8Buffer extends Buffer {
  utf8Slice(start: number, end: number): string;
  latin1Slice(start: number, end: number): string;
}

const EMPTY = Buffer.alloc(0) as Utf8Buffer;
const TWO_32 = 4294967296;

export class WireReader {
  buf: Utf8Buffer = EMPTY;
  dv = new DataView(EMPTY.buffer, EMPTY.byteOffset, 0);
  pos = 0;
  end = 0;
  /** Low and high 32-bit halves (unsigned) of the last readVarint64(). */
  lo = 0;
  hi = 0;
  readonly crc = new ChecksumBuilder();

  setBuffer(u8: Uint8Array): void {
    this.buf = (Buffer.isBuffer(u8) ? u8 : Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength)) as Utf8Buffer;
    this.dv = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
    this.pos = 0;
    this.end = u8.byteLength;
  }

  needMore(need: number): NeedMore {
    NEED_MORE.need = need;
    return NEED_MORE;
  }

  /** Reads an unsigned varint of up to 10 bytes into lo/hi. */
  readVarint64(): void {
    const buf = this.buf;
    const end = this.end;
    let pos = this.pos;
    if (pos >= end) throw this.needMore(pos + 1);
    let b = buf[pos++]!;
    if (b < 0x80) {
      this.lo = b;
      this.hi = 0;
      this.pos = pos;
      return;
    }
    let lo = b & 0x7f;
    for (let shift = 7; shift < 28; shift += 7) {
      if (pos >= end) throw this.needMore(pos + 1);
      b = buf[pos++]!;
      lo |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.lo = lo >>> 0;
        this.hi = 0;
        this.pos = pos;
        return;
      }
    }
    if (pos >= end) throw this.needMore(pos + 1);
    b = buf[pos++]!;
    lo |= (b & 0x0f) << 28;
    let hi = (b & 0x7f) >> 4;
    if (b >= 0x80) {
      for (let shift = 3; ; shift += 7) {
        if (shift > 31) throw corrupt('varint longer than 10 bytes');
        if (pos >= end) throw this.needMore(pos + 1);
        b = buf[pos++]!;
        hi |= (b & 0x7f) << shift;
        if (b < 0x80) break;
      }
    }
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
    this.pos = pos;
  }

  /** A varint that must fit 32 bits unsigned (tags). */
  readVarint32(): number {
    this.readVarint64();
    if (this.hi !== 0) throw corrupt('varint32 out of range');
    return this.lo;
  }

  /** A uint32 CRC; the 10-byte sign-extended form is accepted and its low 32 bits kept. */
  readCrc(): number {
    this.readVarint64();
    return this.lo;
  }

  /** A length or count; also checks that it is plausible. */
  readLength(): number {
    this.readVarint64();
    if (this.hi !== 0 || this.lo > 0x7fffffff) throw corrupt('length out of range');
    return this.lo;
  }

  /**
   * Zigzag varint64 into lo/hi as the signed value's two's complement halves
   * (hi signed int32, lo unsigned), and returns it as a Number when exact, else NaN.
   */
  readZigzag64(): number {
    this.readVarint64();
    const lo = this.lo;
    const hi = this.hi;
    let vlo = ((lo >>> 1) | (hi << 31)) >>> 0;
    let vhi = hi >>> 1;
    if (lo & 1) {
      vlo = ~vlo >>> 0;
      vhi = ~vhi;
    }
    this.lo = vlo;
    this.hi = vhi | 0;
    // |value| < 2^53 <=> hi in [-2^21, 2^21)
    const h = vhi | 0;
    if (h >= -0x200000 && h < 0x200000) return h * TWO_32 + vlo;
    return NaN;
  }

  /** Zigzag varint32 (nanos); tolerant of a 64-bit encoding by keeping the low 32 bits. */
  readZigzag32(): number {
    this.readVarint64();
    const v = this.lo;
    return (v >>> 1) ^ -(v & 1);
  }

  need(n: number): void {
    if (this.pos + n > this.end) throw this.needMore(this.pos + n);
  }
}
