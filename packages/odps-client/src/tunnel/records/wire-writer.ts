// Growable output buffer with varint/zigzag/fixed writes for the record format, BigInt-free in loops.
import { hasLoneSurrogate, TEXT_VALUE_PATH } from '../../types/text-checks.js';
import { ValueTypeError } from '../../types/value-type-error.js';
import { ChecksumBuilder } from './checksum-builder.js';

interface Utf8Buffer extends Buffer {
  utf8Write(s: string, offset: number): number;
}

const TWO_32 = 4294967296;
// Strings shorter than this try the ASCII loop (their 1-byte length prefix is known up front).
const ASCII_FAST_MAX = 32;

export class WireWriter {
  buf: Utf8Buffer;
  dv: DataView;
  pos = 0;
  readonly crc = new ChecksumBuilder();
  /** Halves of the last int64 split by splitNumber/splitBigint. */
  lo = 0;
  hi = 0;

  constructor(readonly initialSize: number) {
    this.buf = Buffer.allocUnsafe(initialSize) as Utf8Buffer;
    this.dv = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n)) as Utf8Buffer;
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
    this.dv = new DataView(next.buffer, next.byteOffset, next.byteLength);
  }

  /**
   * Back to an earlier (buffer, position): bytes before `pos` in that buffer were never overwritten,
   * since take() and ensure() move on to a new buffer rather than reuse the old one.
   */
  restore(buf: Buffer, pos: number): void {
    this.buf = buf as Utf8Buffer;
    this.dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = pos;
  }

  /** Hands out the written bytes and starts a fresh buffer. */
  take(): Uint8Array {
    const out = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafe(this.initialSize) as Utf8Buffer;
    this.dv = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    this.pos = 0;
    return out;
  }

  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  /** Unsigned varint of a value in [0, 2^32). */
  varint32(v: number): void {
    this.ensure(5);
    const buf = this.buf;
    let p = this.pos;
    while (v > 0x7f) {
      buf[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[p++] = v;
    this.pos = p;
  }

  /** Unsigned varint of the 64-bit value hi:lo (both treated as unsigned 32-bit). */
  varint64(lo: number, hi: number): void {
    this.ensure(10);
    const buf = this.buf;
    let p = this.pos;
    lo >>>= 0;
    hi >>>= 0;
    while (hi !== 0 || lo > 0x7f) {
      buf[p++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    buf[p++] = lo;
    this.pos = p;
  }

  /** Splits a safe integer into two's complement halves (lo unsigned, hi signed). */
  splitNumber(n: number): void {
    const hi = Math.floor(n / TWO_32);
    this.lo = (n - hi * TWO_32) >>> 0;
    this.hi = hi | 0;
  }

  /** Splits an int64 bigint into halves; BigInt operations only for values beyond 2^53. */
  splitBigint(v: bigint): void {
    if (v >= -9007199254740991n && v <= 9007199254740991n) {
      this.splitNumber(Number(v));
    } else {
      this.lo = Number(v & 0xffffffffn) >>> 0;
      this.hi = Number(v >> 32n) | 0;
    }
  }

  /** Zigzag varint64 of the signed value in this.lo/this.hi. */
  zigzag64(): void {
    const lo = this.lo;
    const hi = this.hi;
    const mask = hi >> 31;
    this.varint64((lo << 1) ^ mask, ((hi << 1) | (lo >>> 31)) ^ mask);
  }

  zigzag32(n: number): void {
    this.varint32(((n << 1) ^ (n >> 31)) >>> 0);
  }

  /** Length-prefixed UTF-8; returns the payload start so the caller can CRC it. */
  utf8(s: string): number {
    const len = s.length;
    if (len < ASCII_FAST_MAX) {
      // Short strings: a JS loop beats the native utf8Write call (~60 ns) by a wide margin. At most
      // 3 bytes per UTF-16 unit keeps the payload under 128 bytes, so the length prefix is one byte.
      // Surrogate pairs are left to utf8Write; lone surrogates never get here (coerce/canonical refuse them).
      this.ensure(len * 3 + 1);
      const buf = this.buf;
      const start = this.pos + 1;
      let q = start;
      let i = 0;
      for (; i < len; i++) {
        const c = s.charCodeAt(i);
        if (c < 0x80) {
          buf[q++] = c;
        } else if (c < 0x800) {
          buf[q++] = 0xc0 | (c >> 6);
          buf[q++] = 0x80 | (c & 0x3f);
        } else if (c < 0xd800 || c > 0xdfff) {
          buf[q++] = 0xe0 | (c >> 12);
          buf[q++] = 0x80 | ((c >> 6) & 0x3f);
          buf[q++] = 0x80 | (c & 0x3f);
        } else {
          break;
        }
      }
      if (i === len) {
        buf[this.pos] = q - start;
        this.pos = q;
        return start;
      }
    }
    // Only strings the ASCII/BMP loop could not finish get here, so short surrogate-free text pays nothing.
    if (hasLoneSurrogate(s)) throw new ValueTypeError(TEXT_VALUE_PATH, 'well-formed UTF-16 text', 'string', 'lone surrogate: not encodable as UTF-8');
    const max = len * 3;
    if (max < 128) {
      this.ensure(max + 1);
      const start = this.pos + 1;
      const n = max === 0 ? 0 : this.buf.utf8Write(s, start);
      this.buf[this.pos] = n;
      this.pos = start + n;
      return start;
    }
    const n = Buffer.byteLength(s, 'utf8');
    this.varint32(n);
    this.ensure(n);
    const start = this.pos;
    this.buf.utf8Write(s, start);
    this.pos = start + n;
    return start;
  }

  bytes(b: Uint8Array): number {
    this.varint32(b.length);
    this.ensure(b.length);
    const start = this.pos;
    this.buf.set(b, start);
    this.pos = start + b.length;
    return start;
  }
}
