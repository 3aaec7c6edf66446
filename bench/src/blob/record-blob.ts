// Pre-encoded record-format rows, served for any row range of a table that repeats them cyclically.
import { crc32c } from './crc32c.js';
import { RecordStreamEncoder, type Column } from '@odps-ts/odps-client';

const META_COUNT_TAG = [0xf0, 0xff, 0xff, 0x7f];
const META_CHECKSUM_TAG = [0xf8, 0xff, 0xff, 0x7f];

function pushVarint(out: number[], value: number): void {
  // value < 2^53; split so that >>> never truncates.
  let v = value;
  while (v > 0x7f) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

/**
 * `rows` encoded once; row r of a table is rows[r % rows.length]. A range body is slices of the one
 * buffer plus a footer whose total CRC runs over the 4-byte LE record CRCs (tunnel.md §3.4), so any
 * range, even one of many GB, is served without encoding anything.
 */
export class RecordBlob {
  readonly bytes: Buffer;
  /** offsets[i]..offsets[i+1] is record i. */
  private readonly offsets: Float64Array;
  /** Record CRCs as 4-byte little-endian words, in record order. */
  private readonly crcWords: Buffer;
  readonly unique: number;

  constructor(columns: readonly Column[], rows: readonly unknown[][]) {
    const enc = new RecordStreamEncoder(columns, { chunkSize: 1 << 20 });
    const parts: Uint8Array[] = [];
    this.offsets = new Float64Array(rows.length + 1);
    for (let i = 0; i < rows.length; i++) {
      const chunk = enc.write(rows[i]!);
      if (chunk) parts.push(chunk);
      this.offsets[i + 1] = enc.byteCount;
    }
    const rest = enc.flush();
    if (rest) parts.push(rest);
    this.bytes = Buffer.concat(parts);
    this.unique = rows.length;
    this.crcWords = Buffer.alloc(rows.length * 4);
    for (let i = 0; i < rows.length; i++) this.crcWords.writeUInt32LE(this.recordCrc(i), i * 4);
  }

  /** The uint32 varint after END_RECORD: the last bytes of the record, found by walking back. */
  private recordCrc(i: number): number {
    const end = this.offsets[i + 1]!;
    let p = end - 1;
    while ((this.bytes[p - 1]! & 0x80) !== 0) p--;
    let v = 0;
    for (let k = end - 1; k >= p; k--) v = v * 128 + (this.bytes[k]! & 0x7f);
    return v >>> 0;
  }

  /** Average encoded bytes per record. */
  get bytesPerRow(): number {
    return this.bytes.length / this.unique;
  }

  /** Contiguous runs [from, to) of unique-record indexes covering table rows [start, start+count). */
  private runs(start: number, count: number): [number, number][] {
    const out: [number, number][] = [];
    let r = start;
    const end = start + count;
    while (r < end) {
      const from = r % this.unique;
      const n = Math.min(this.unique - from, end - r);
      out.push([from, from + n]);
      r += n;
    }
    return out;
  }

  /** Body pieces (record slices, then footer), in order; `maxPiece` bounds each slice. */
  *rangeBody(start: number, count: number, maxPiece = 256 * 1024): Generator<Uint8Array, void, undefined> {
    let total = 0;
    for (const [from, to] of this.runs(start, count)) {
      const a = this.offsets[from]!;
      const b = this.offsets[to]!;
      for (let p = a; p < b; p += maxPiece) yield this.bytes.subarray(p, Math.min(b, p + maxPiece));
      total = crc32c(this.crcWords.subarray(from * 4, to * 4), total);
    }
    const footer: number[] = [...META_COUNT_TAG];
    pushVarint(footer, count * 2);
    footer.push(...META_CHECKSUM_TAG);
    pushVarint(footer, total);
    yield Uint8Array.from(footer);
  }
}
