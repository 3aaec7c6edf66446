// Pre-serialized Arrow RecordBatch messages, served (framed on the fly) for row ranges aligned to slices.
import { ArrowFrameEncoder } from '@odps-ts/odps-client';

/**
 * The unique rows as unframed IPC payload (RecordBatch messages only), one piece per slice of
 * `sliceRows` rows; row r of a table is unique row r % unique. Ranges must start and end on slice
 * boundaries (the benchmark picks sizes that do).
 */
export class ArrowBlob {
  readonly unique: number;
  readonly payloadBytes: number;

  constructor(private readonly slices: readonly Uint8Array[], readonly sliceRows: number) {
    this.unique = slices.length * sliceRows;
    this.payloadBytes = slices.reduce((n, s) => n + s.byteLength, 0);
  }

  aligned(start: number, count: number): boolean {
    return start % this.sliceRows === 0 && count % this.sliceRows === 0;
  }

  /** The framed body (tunnel.md §4.2) of table rows [start, start+count). */
  *rangeBody(start: number, count: number): Generator<Uint8Array, void, undefined> {
    if (!this.aligned(start, count)) throw new RangeError(`range (${start},${count}) is not aligned to ${this.sliceRows} rows`);
    const framer = new ArrowFrameEncoder();
    for (let r = start; r < start + count; r += this.sliceRows) {
      yield* framer.write(this.slices[(r % this.unique) / this.sliceRows]!);
    }
    yield* framer.finish();
  }
}
