// Checks a RecordBatch header against our schema before apache-arrow builds Data from it.
import { DateUnit, IntervalUnit, Precision, Type, type DataType, type Field, type Schema } from 'apache-arrow';
import type { BatchHeader } from './batch-header.js';
import { malformedArrow } from './malformed.js';

/** Arrow Java and C++ cap lengths at int32; larger ones only come from corruption. */
const MAX_LENGTH = 0x7fffffff;
/**
 * Null columns have no buffers, so nothing in the body bounds their length. Allow them as many
 * values as the batch has rows, or this many (a plausibility bound; VOID data is rare).
 */
const MAX_UNBACKED_LENGTH = 1 << 20;
/** Writers pad each buffer to 8 (or 64) bytes; a body much longer than its buffers is corrupt. */
const BODY_SLACK = 4096;

/** Bytes per value of fixed-width types, undefined for the others. */
function fixedWidth(t: DataType): number | undefined {
  const x = t as DataType & { bitWidth?: number; precision?: number; unit?: number; byteWidth?: number };
  switch (t.typeId) {
    case Type.Int: case Type.Time: case Type.Decimal: return x.bitWidth! / 8;
    case Type.Float: return x.precision === Precision.HALF ? 2 : x.precision === Precision.SINGLE ? 4 : 8;
    case Type.Date: return x.unit === DateUnit.DAY ? 4 : 8;
    case Type.Timestamp: case Type.Duration: return 8;
    case Type.Interval: return x.unit === IntervalUnit.YEAR_MONTH ? 4 : x.unit === IntervalUnit.DAY_TIME ? 8 : 16;
    case Type.FixedSizeBinary: return x.byteWidth!;
    default: return undefined;
  }
}

/** True when a column of this type has buffers proportional to its length (bounds the row count). */
function backedByBuffers(t: DataType): boolean {
  if (t.typeId === Type.Null) return false;
  if (t.typeId === Type.Struct) return t.children.some((f: Field) => backedByBuffers(f.type));
  if (t.typeId === Type.FixedSizeList) return (t as DataType & { listSize: number }).listSize > 0 && backedByBuffers(t.children[0]!.type);
  return true;
}

class LayoutWalk {
  private node = 0;
  private buffer = 0;
  maxEnd = 0;

  constructor(private readonly h: BatchHeader, private readonly nullCap: number) {}

  /** Consumes one buffer; `need` bytes must be present, aligned to `align` for typed-array views. */
  private take(column: string, what: string, need: number, align: number): void {
    const i = this.buffer++;
    if (i >= this.h.bufferOffsets.length) throw malformedArrow(`column "${column}": the batch has only ${this.h.bufferOffsets.length} buffers`);
    const off = this.h.bufferOffsets[i]!;
    const len = this.h.bufferLengths[i]!;
    if (off < 0 || len < 0 || off + len > this.h.bodyLength) {
      throw malformedArrow(`column "${column}": ${what} buffer [${off}, +${len}) is outside the ${this.h.bodyLength}-byte body`);
    }
    if (len < need) throw malformedArrow(`column "${column}": ${what} buffer has ${len} bytes, ${need} needed`);
    if (align > 1 && len > 0 && off % align !== 0) throw malformedArrow(`column "${column}": ${what} buffer offset ${off} is not ${align}-byte aligned`);
    this.maxEnd = Math.max(this.maxEnd, off + len);
  }

  /**
   * Visits one field in apache-arrow's VectorLoader order; `min` is the length its parent requires,
   * `exact` demands exactly that (top-level columns: apache-arrow's RecordBatch re-lengthens others
   * and throws or loses rows doing so; the IPC format requires equal lengths anyway).
   */
  visit(column: string, t: DataType, min: number, exact = false): number {
    const i = this.node++;
    if (i >= this.h.nodeLengths.length) throw malformedArrow(`column "${column}": the batch has only ${this.h.nodeLengths.length} field nodes`);
    const length = this.h.nodeLengths[i]!;
    const nulls = this.h.nodeNullCounts[i]!;
    if (length < 0 || length > MAX_LENGTH) throw malformedArrow(`column "${column}": field node length ${length}`);
    if (nulls < 0 || nulls > length) throw malformedArrow(`column "${column}": null count ${nulls} of ${length} values`);
    if (length < min || (exact && length !== min)) throw malformedArrow(`column "${column}": ${length} values, its ${exact ? 'batch has' : 'parent needs'} ${min}`);
    if (t.typeId === Type.Null) {
      if (length > this.nullCap) throw malformedArrow(`column "${column}": ${length} null values is implausible`);
      return length;
    }
    this.take(column, 'validity', nulls > 0 ? Math.ceil(length / 8) : 0, 1);
    const width = fixedWidth(t);
    if (width !== undefined) {
      this.take(column, 'values', length * width, (t as DataType & { ArrayType: { BYTES_PER_ELEMENT: number } }).ArrayType.BYTES_PER_ELEMENT);
      return length;
    }
    const offsets = (n: number): number => (length > 0 ? (length + 1) * n : 0);
    switch (t.typeId) {
      case Type.Bool:
        this.take(column, 'values', Math.ceil(length / 8), 1);
        break;
      case Type.Utf8: case Type.Binary:
        this.take(column, 'offsets', offsets(4), 4);
        this.take(column, 'data', 0, 1);
        break;
      case Type.LargeUtf8: case Type.LargeBinary:
        this.take(column, 'offsets', offsets(8), 8);
        this.take(column, 'data', 0, 1);
        break;
      case Type.List: case Type.Map:
        // The child's length is checked against the offsets once apache-arrow has built them.
        this.take(column, 'offsets', offsets(4), 4);
        this.visit(column, t.children[0]!.type, 0);
        break;
      case Type.LargeList:
        this.take(column, 'offsets', offsets(8), 8);
        this.visit(column, t.children[0]!.type, 0);
        break;
      case Type.FixedSizeList:
        this.visit(column, t.children[0]!.type, length * (t as DataType & { listSize: number }).listSize);
        break;
      case Type.Struct:
        for (const f of t.children as Field[]) this.visit(column, f.type, length);
        break;
      default:
        throw malformedArrow(`column "${column}": Arrow type ${String(t)} is not read by the tunnel`);
    }
    return length;
  }

  finish(): void {
    if (this.node !== this.h.nodeLengths.length) throw malformedArrow(`the batch has ${this.h.nodeLengths.length} field nodes, the schema ${this.node}`);
    if (this.buffer !== this.h.bufferOffsets.length) throw malformedArrow(`the batch has ${this.h.bufferOffsets.length} buffers, the schema ${this.buffer}`);
    if (this.h.bodyLength > this.maxEnd + BODY_SLACK) throw malformedArrow(`body of ${this.h.bodyLength} bytes but its buffers end at ${this.maxEnd}`);
  }
}

/**
 * Proves apache-arrow can build this batch without reading outside the body or allocating from a
 * corrupt length: node and buffer counts match the schema, every length and null count is in range,
 * every buffer lies in the body and is long enough for its node's length (validity bitmaps, fixed-
 * width values, offsets), struct children are as long as their parent, and the row count is backed
 * by some column's buffers; top-level columns have exactly the batch's row count. O(fields),
 * independent of the row count.
 */
export function checkBatchLayout(h: BatchHeader, schema: Schema): void {
  const rows = h.length;
  if (rows < 0 || rows > MAX_LENGTH) throw malformedArrow(`batch row count ${rows}`);
  const fields = schema.fields;
  if (rows > MAX_UNBACKED_LENGTH && !fields.some((f) => backedByBuffers(f.type))) {
    throw malformedArrow(`${rows} rows of columns without buffers is implausible`);
  }
  const walk = new LayoutWalk(h, Math.max(rows, MAX_UNBACKED_LENGTH));
  for (const f of fields) walk.visit(f.name, f.type, rows, true);
  walk.finish();
}
