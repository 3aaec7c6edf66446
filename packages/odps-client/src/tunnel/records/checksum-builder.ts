// Collects a record's checksum bytes (tunnel.md §3.4) in a scratch buffer and CRCs them in few calls.
import { crc32cUpdate } from './crc32c.js';

const SCRATCH_SIZE = 4096;
// Larger payloads are CRC'd in place instead of being copied into the scratch buffer.
const DIRECT_THRESHOLD = 64;

export class ChecksumBuilder {
  private readonly s = new Uint8Array(SCRATCH_SIZE);
  private n = 0;
  private crc = 0;

  reset(): void {
    this.n = 0;
    this.crc = 0;
  }

  private flush(): void {
    if (this.n > 0) {
      this.crc = crc32cUpdate(this.crc, this.s, 0, this.n);
      this.n = 0;
    }
  }

  byte(b: number): void {
    if (this.n + 1 > SCRATCH_SIZE) this.flush();
    this.s[this.n++] = b;
  }

  int32(v: number): void {
    if (this.n + 4 > SCRATCH_SIZE) this.flush();
    const s = this.s;
    const n = this.n;
    s[n] = v;
    s[n + 1] = v >>> 8;
    s[n + 2] = v >>> 16;
    s[n + 3] = v >>> 24;
    this.n = n + 4;
  }

  /** int64 little-endian from its low and high 32-bit halves (either signedness). */
  int64(lo: number, hi: number): void {
    if (this.n + 8 > SCRATCH_SIZE) this.flush();
    const s = this.s;
    const n = this.n;
    s[n] = lo;
    s[n + 1] = lo >>> 8;
    s[n + 2] = lo >>> 16;
    s[n + 3] = lo >>> 24;
    s[n + 4] = hi;
    s[n + 5] = hi >>> 8;
    s[n + 6] = hi >>> 16;
    s[n + 7] = hi >>> 24;
    this.n = n + 8;
  }

  bytes(src: Uint8Array, start: number, end: number): void {
    const len = end - start;
    if (len >= DIRECT_THRESHOLD) {
      this.flush();
      this.crc = crc32cUpdate(this.crc, src, start, end);
      return;
    }
    if (this.n + len > SCRATCH_SIZE) this.flush();
    const s = this.s;
    let n = this.n;
    for (let i = start; i < end; i++) s[n++] = src[i]!;
    this.n = n;
  }

  /** The CRC of everything fed since reset(). */
  value(): number {
    this.flush();
    return this.crc;
  }
}
