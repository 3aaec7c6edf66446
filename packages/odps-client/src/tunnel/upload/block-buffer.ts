// Block ids and the in-memory bytes of the block being filled, shared by the record and Arrow writers.
import { OdpsArgumentError, TunnelError } from '../../errors.js';
import { resolveCompression, type CompressOption } from '../compression.js';
import type { BlockUploadOptions, TableUploadSession } from './upload-session.js';
import { MAX_BLOCK_ID } from './upload-session.js';

export interface BlockWriterOptions {
  /**
   * Roll to a new block once the current one holds this many encoded bytes (default 64 MiB, as Java;
   * at least 1 KiB). The current block's bytes stay in memory until its PUT succeeded, so that a
   * failed PUT can resend them: memory use is about one block.
   */
  blockSize?: number;
  /** First block id (default 0). */
  firstBlockId?: number;
  /** Step between this writer's block ids (default 1); several writers on one session use disjoint ids, e.g. id = k + n*step. */
  blockIdStep?: number;
  /** Compress each block: `true` or 'deflate', 'lz4' or 'zstd' (`Content-Encoding`). */
  compress?: CompressOption;
  /** Attempts per block PUT (default: the client's retry.maxAttempts). */
  maxAttempts?: number;
  signal?: AbortSignal;
}

export const DEFAULT_BLOCK_SIZE = 64 * 1024 * 1024;

/** Block bookkeeping: next id, ids written, the failure state and the upload of one finished block. */
export class BlockLedger {
  readonly blockSize: number;
  private nextId: number;
  private readonly step: number;
  private readonly written: number[] = [];
  private failure: unknown;
  private state: 'open' | 'closed' | 'committed' | 'aborted' = 'open';

  constructor(readonly session: TableUploadSession, private readonly opts: BlockWriterOptions, private readonly arrow: boolean) {
    this.blockSize = opts.blockSize ?? DEFAULT_BLOCK_SIZE;
    if (!Number.isFinite(this.blockSize) || this.blockSize < 1024) throw new OdpsArgumentError('blockSize must be at least 1024 bytes');
    this.nextId = opts.firstBlockId ?? 0;
    this.step = opts.blockIdStep ?? 1;
    if (!Number.isInteger(this.nextId) || this.nextId < 0 || this.nextId > MAX_BLOCK_ID) throw new OdpsArgumentError(`firstBlockId must be in 0..${MAX_BLOCK_ID}`);
    if (!Number.isInteger(this.step) || this.step < 1) throw new OdpsArgumentError('blockIdStep must be a positive integer');
    resolveCompression(opts.compress);
  }

  /** Ids of the blocks uploaded successfully, in order. */
  get blockIds(): number[] {
    return [...this.written];
  }

  assertOpen(): void {
    if (this.failure !== undefined) {
      throw new TunnelError('the writer failed earlier and cannot continue; abort it', { code: 'WriterFailed', cause: this.failure });
    }
    if (this.state !== 'open') throw new TunnelError(`the writer is ${this.state}`, { code: 'WriterClosed' });
  }

  /** Uploads one complete block body; on failure the writer is poisoned (no commit of partial data). */
  async upload(chunks: readonly Uint8Array[]): Promise<void> {
    const id = this.nextId;
    if (id > MAX_BLOCK_ID) throw new TunnelError(`block id ${id} would exceed ${MAX_BLOCK_ID}: use a larger blockSize`, { code: 'TooManyBlocks' });
    const up: BlockUploadOptions = {};
    if (this.arrow) up.arrow = true;
    if (this.opts.compress !== undefined) up.compress = this.opts.compress;
    if (this.opts.maxAttempts !== undefined) up.maxAttempts = this.opts.maxAttempts;
    if (this.opts.signal) up.signal = this.opts.signal;
    try {
      await this.session.uploadBlock(id, chunks, up);
    } catch (err) {
      this.failure = err;
      throw err;
    }
    this.written.push(id);
    this.nextId = id + this.step;
  }

  /** A failure that leaves data the caller did not mean to commit: later writes and commit refuse. */
  fail(err: unknown): void {
    this.failure ??= err;
  }

  /** How many blocks were uploaded so far. */
  get uploadedCount(): number {
    return this.written.length;
  }

  markClosed(): void {
    this.state = 'closed';
  }

  markCommitted(): void {
    this.state = 'committed';
  }

  markAborted(): void {
    this.state = 'aborted';
  }

  get isAborted(): boolean {
    return this.state === 'aborted';
  }

  get isClosed(): boolean {
    return this.state === 'closed' && this.failure === undefined;
  }
}
