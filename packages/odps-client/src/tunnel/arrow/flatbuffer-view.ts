// Bounds-checked reads of flatbuffer tables (IPC message metadata) that never allocate from length fields.
import { malformedArrow } from './malformed.js';

/**
 * Reads the same fields the generated flatbuffers code reads (signed offsets, vtable lookups, vector
 * length prefixes), but every read is range-checked against the metadata bytes and 64-bit integers
 * must be safe JS numbers. Anything that passes here is read identically by apache-arrow.
 */
export class FlatbufferView {
  constructor(private readonly b: Uint8Array) {}

  private need(at: number, n: number, what: string): void {
    if (!(at >= 0 && at + n <= this.b.byteLength)) throw malformedArrow(`metadata ${what} at ${at} is outside its ${this.b.byteLength} bytes`);
  }

  u8(at: number, what: string): number {
    this.need(at, 1, what);
    return this.b[at]!;
  }

  i16(at: number, what: string): number {
    this.need(at, 2, what);
    return ((this.b[at]! | (this.b[at + 1]! << 8)) << 16) >> 16;
  }

  i32(at: number, what: string): number {
    this.need(at, 4, what);
    return this.b[at]! | (this.b[at + 1]! << 8) | (this.b[at + 2]! << 16) | (this.b[at + 3]! << 24);
  }

  /** int64 as a number; refuses values beyond ±2^53 (apache-arrow would throw on them anyway). */
  i64(at: number, what: string): number {
    const lo = this.i32(at, what) >>> 0;
    const hi = this.i32(at + 4, what);
    // hi in [-2^21, 2^21) keeps |value| within 2^53.
    if (hi < -0x200000 || hi >= 0x200000) throw malformedArrow(`metadata ${what} does not fit a safe integer`);
    return hi * 4294967296 + lo;
  }

  /** Position of the root table. */
  root(): number {
    return this.i32(0, 'root offset');
  }

  /** Absolute position of field `index` of the table at `table`, or 0 when the field is absent. */
  field(table: number, index: number, what: string): number {
    const vtable = table - this.i32(table, `${what} vtable offset`);
    const slot = 4 + 2 * index;
    if (slot >= this.i16(vtable, `${what} vtable size`)) return 0;
    const off = this.i16(vtable + slot, `${what} vtable entry`);
    return off === 0 ? 0 : table + off;
  }

  /** Position of the table referenced by the offset stored at `at` (also union members). */
  table(at: number, what: string): number {
    const t = at + this.i32(at, what);
    // The table must at least hold its vtable offset, and that vtable its two size fields.
    const vtable = t - this.i32(t, `${what} vtable offset`);
    this.need(vtable, 4, `${what} vtable`);
    return t;
  }

  /** Start and element count of the vector referenced at `at`; all `count * elementSize` bytes exist. */
  vector(at: number, elementSize: number, what: string): { start: number; count: number } {
    const v = at + this.i32(at, what);
    const count = this.i32(v, `${what} length`);
    if (count < 0) throw malformedArrow(`metadata ${what} has a negative length`);
    const start = v + 4;
    if (count * elementSize > this.b.byteLength - start) throw malformedArrow(`metadata ${what} claims ${count} entries, more than its bytes hold`);
    this.need(start, count * elementSize, what);
    return { start, count };
  }

  /** Checks a string field stored at `at` lies within the bytes. */
  string(at: number, what: string): void {
    const s = at + this.i32(at, what);
    const len = this.i32(s, `${what} length`);
    if (len < 0) throw malformedArrow(`metadata ${what} has a negative length`);
    this.need(s + 4, len, what);
  }
}
