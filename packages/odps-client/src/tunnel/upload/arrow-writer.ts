// Arrow writer over an upload session: RecordBatches framed (tunnel.md §4.2, §6.4) into size-bounded blocks.
import type { DataType, RecordBatch, Schema, Table } from 'apache-arrow';
import { TunnelError } from '../../errors.js';
import type { Column } from '../../types/column.js';
import { ArrowFrameEncoder } from '../arrow/framing.js';
import { recordBatchMessages } from '../arrow/ipc.js';
import { arrowSchemaFor } from '../arrow/schema.js';
import type { BlockWriterOptions } from './block-buffer.js';
import { BlockWriter } from './block-writer.js';
import type { TableUploadSession } from './upload-session.js';

export type ArrowWriterOptions = BlockWriterOptions;

/** Physical layout key of an Arrow type: what must match for the server to decode it. */
function layoutKey(t: DataType): string {
  const o = t as unknown as Record<string, unknown>;
  const params = ['bitWidth', 'unit', 'precision', 'scale', 'byteWidth', 'listSize']
    .filter((k) => o[k] !== undefined).map((k) => `${k}=${String(o[k])}`).join(',');
  const kids = (t.children ?? []).map((f) => layoutKey(f.type)).join(',');
  return `${t.typeId}(${params})[${kids}]`;
}

/**
 * `write(batch | table)` appends RecordBatches whose columns match the session's data columns by name
 * (case-insensitive, same order) and wire type (build them with `arrowSchemaFor(session.columns)`).
 * Blocks roll at `blockSize` framed bytes; the current block stays in memory until its PUT succeeds.
 */
export class ArrowBlockWriter extends BlockWriter {
  readonly columns: readonly Column[];
  /** The Arrow schema the tunnel expects. */
  readonly schema: Schema;
  private framer = new ArrowFrameEncoder();
  private bytes = 0;
  private rows = 0;
  private readonly expected: string[];

  constructor(session: TableUploadSession, opts: ArrowWriterOptions = {}) {
    super(session, opts, true);
    this.columns = session.columns;
    this.schema = arrowSchemaFor(this.columns);
    this.expected = this.schema.fields.map((f) => layoutKey(f.type));
  }

  get recordCount(): number {
    return this.rows;
  }

  private check(batch: RecordBatch): void {
    const fields = batch.schema.fields;
    if (fields.length !== this.columns.length) {
      throw new TunnelError(`batch has ${fields.length} columns, the table has ${this.columns.length} data columns (${this.columns.map((c) => c.name).join(', ')})`, { code: 'ArrowSchemaMismatch' });
    }
    fields.forEach((f, i) => {
      const col = this.columns[i]!;
      if (f.name.toLowerCase() !== col.name.toLowerCase()) {
        throw new TunnelError(`batch column ${i} is "${f.name}", expected "${col.name}"`, { code: 'ArrowSchemaMismatch' });
      }
      if (layoutKey(f.type) !== this.expected[i]) {
        throw new TunnelError(`column "${col.name}" (${col.type}) must be Arrow ${String(this.schema.fields[i]!.type)}, got ${String(f.type)}`, { code: 'ArrowSchemaMismatch' });
      }
    });
  }

  async write(data: RecordBatch | Table): Promise<void> {
    this.ledger.assertOpen();
    const batches = 'batches' in data ? data.batches : [data];
    // Every batch is checked before any is buffered, so a refused call leaves nothing behind.
    for (const b of batches) this.check(b);
    try {
      for (const b of batches) {
        if (b.numRows === 0) continue;
        for (const piece of this.framer.write(recordBatchMessages(b))) {
          this.chunks.push(piece);
          this.bytes += piece.byteLength;
        }
        this.rows += b.numRows;
        if (this.bytes >= this.ledger.blockSize) await this.flushBlock();
      }
    } catch (err) {
      // Past the checks, a failure (serializing a batch, or an upload) may leave part of this call
      // buffered or uploaded: refuse to commit that.
      this.ledger.fail(err);
      throw err;
    }
  }

  override async flushBlock(): Promise<void> {
    this.ledger.assertOpen();
    if (this.framer.payloadBytes === 0) return;
    this.chunks.push(...this.framer.finish());
    const chunks = this.chunks;
    this.chunks = [];
    this.bytes = 0;
    this.framer = new ArrowFrameEncoder();
    await this.ledger.upload(chunks);
  }
}
