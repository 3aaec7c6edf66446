// Running CRC32C of a record's checksum bytes (tunnel.md §3.4), updated in place: no scratch copy, no flush.
import { crc32cByte, crc32cInt32, crc32cUpdate } from './crc32c.js';

// Table lookups per value beat batching into a scratch buffer: most checksum inputs are 1-8 bytes,
// and strings are CRC'd where they lie (slicing-by-8 below 256 bytes, native above).
export class ChecksumBuilder {
  private crc = 0;

  reset(): void {
    this.crc = 0;
  }

  byte(b: number): void {
    this.crc = crc32cByte(this.crc, b);
  }

  int32(v: number): void {
    this.crc = crc32cInt32(this.crc, v);
  }

  /** int64 little-endian from its low and high 32-bit halves (either signedness). */
  int64(lo: number, hi: number): void {
    this.crc = crc32cInt32(crc32cInt32(this.crc, lo), hi);
  }

  bytes(src: Uint8Array, start: number, end: number): void {
    this.crc = crc32cUpdate(this.crc, src, start, end);
  }

  /** The CRC of everything fed since reset(). */
  value(): number {
    return this.crc;
  }
}
