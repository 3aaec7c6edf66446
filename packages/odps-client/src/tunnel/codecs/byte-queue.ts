// A FIFO of byte chunks that hands out exact-length pieces without re-copying what stays queued.

export class ByteQueue {
  private chunks: Uint8Array[] = [];
  /** Index of the first live chunk (shifting a long array per byte would be quadratic). */
  private first = 0;
  /** Bytes already consumed from chunks[first]. */
  private head = 0;
  length = 0;

  push(chunk: Uint8Array): void {
    if (chunk.byteLength === 0) return;
    this.chunks.push(chunk);
    this.length += chunk.byteLength;
  }

  /** Byte at offset `i` from the front (i < length). */
  peekByte(i: number): number {
    let off = this.head + i;
    for (let k = this.first; k < this.chunks.length; k++) {
      const c = this.chunks[k]!;
      if (off < c.byteLength) return c[off]!;
      off -= c.byteLength;
    }
    throw new RangeError('peek past the end of the queue');
  }

  peekU32LE(i: number): number {
    return (this.peekByte(i) | (this.peekByte(i + 1) << 8) | (this.peekByte(i + 2) << 16) | (this.peekByte(i + 3) << 24)) >>> 0;
  }

  /** Removes `n` bytes (n <= length) and copies them into `out` at `at` (a new buffer when omitted). */
  take(n: number, out: Uint8Array = new Uint8Array(n), at = 0): Uint8Array {
    let done = 0;
    while (done < n) {
      const c = this.chunks[this.first]!;
      const avail = c.byteLength - this.head;
      const k = Math.min(avail, n - done);
      out.set(c.subarray(this.head, this.head + k), at + done);
      done += k;
      if (k === avail) {
        this.dropFirst();
      } else {
        this.head += k;
      }
    }
    this.length -= n;
    return out;
  }

  skip(n: number): void {
    let left = n;
    while (left > 0) {
      const c = this.chunks[this.first]!;
      const avail = c.byteLength - this.head;
      if (left >= avail) {
        left -= avail;
        this.dropFirst();
      } else {
        this.head += left;
        left = 0;
      }
    }
    this.length -= n;
  }

  private dropFirst(): void {
    this.first++;
    this.head = 0;
    if (this.first === this.chunks.length) {
      this.chunks = [];
      this.first = 0;
    } else if (this.first >= 1024 && this.first * 2 >= this.chunks.length) {
      this.chunks = this.chunks.slice(this.first);
      this.first = 0;
    }
  }
}
