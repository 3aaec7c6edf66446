// What every block writer shares: the ledger of uploaded blocks and the close / commit / abort lifecycle.
import { BlockLedger, type BlockWriterOptions } from './block-buffer.js';
import type { TableUploadSession } from './upload-session.js';

export abstract class BlockWriter {
  /** @internal */
  protected readonly ledger: BlockLedger;
  /** Encoded pieces of the block being filled (kept until its PUT succeeds, so it can be re-sent). */
  protected chunks: Uint8Array[] = [];

  constructor(protected readonly session: TableUploadSession, opts: BlockWriterOptions, arrow: boolean) {
    this.ledger = new BlockLedger(session, opts, arrow);
  }

  /** Ids of the blocks uploaded so far. */
  get blockIds(): number[] {
    return this.ledger.blockIds;
  }

  /** Finish and upload the current block (if it holds data), then start a new one. */
  abstract flushBlock(): Promise<void>;

  /** Upload the last block without committing; returns this writer's block ids (for a shared commit). */
  async close(): Promise<number[]> {
    // Closing twice is fine; closing an aborted, failed or committed writer is not.
    if (this.ledger.isClosed) return this.ledger.blockIds;
    await this.flushBlock();
    this.ledger.markClosed();
    return this.ledger.blockIds;
  }

  /** Upload the last block and commit the session with every block this writer uploaded. */
  async commit(): Promise<void> {
    const ids = await this.close();
    await this.session.commit(ids);
    this.ledger.markCommitted();
  }

  /** Drop buffered data; nothing is committed (uploaded blocks expire with the session). */
  async abort(): Promise<void> {
    this.chunks = [];
    this.ledger.markAborted();
  }
}
