// Splits an unframed Arrow payload into encapsulated messages, checking prefixes before buffering.
import { parseBatchHeader, type BatchHeader } from './batch-header.js';
import { malformedArrow, truncatedArrow } from './malformed.js';

const CONTINUATION = -1;

/** One RecordBatch message: its prefix and metadata bytes and the parsed header. */
export interface PendingBatch {
  /** Continuation marker (if any), int32 metadata length, metadata. */
  head: Uint8Array;
  header: BatchHeader;
}

/**
 * Pull-based reader of encapsulated IPC messages (continuation 0xFFFFFFFF + int32 metadata length,
 * or the pre-0.15 bare int32 length). Only bytes that actually arrived are ever held: a corrupt length
 * makes the payload end "inside" a message (a typed error) rather than an allocation.
 */
export class MessageQueue {
  private chunks: Uint8Array[] = [];
  private avail = 0;
  private done = false;
  private ended = false;
  /** True once the source has yielded any byte (an empty payload means no rows). */
  sawBytes = false;

  /** @param maxMetadata metadata bytes a batch of the expected schema can plausibly need. */
  constructor(private readonly source: AsyncIterator<Uint8Array>, private readonly maxMetadata: number) {}

  private async fill(n: number): Promise<boolean> {
    while (this.avail < n && !this.done) {
      const r = await this.source.next();
      if (r.done) {
        this.done = true;
        break;
      }
      if (r.value.byteLength > 0) {
        this.chunks.push(r.value);
        this.avail += r.value.byteLength;
        this.sawBytes = true;
      }
    }
    return this.avail >= n;
  }

  /** The next n bytes (n ≤ avail), as pieces; pieces are views, never copies. */
  private takePieces(n: number): Uint8Array[] {
    const out: Uint8Array[] = [];
    while (n > 0) {
      const c = this.chunks[0]!;
      if (c.byteLength <= n) {
        out.push(c);
        this.chunks.shift();
        n -= c.byteLength;
        this.avail -= c.byteLength;
      } else {
        out.push(c.subarray(0, n));
        this.chunks[0] = c.subarray(n);
        this.avail -= n;
        n = 0;
      }
    }
    return out;
  }

  private take(n: number): Uint8Array {
    const p = this.takePieces(n);
    return p.length === 1 ? p[0]! : Buffer.concat(p);
  }

  private int32At(b: Uint8Array, at: number): number {
    return b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24);
  }

  /**
   * The next RecordBatch message header, or undefined at the end of the payload (with or without the
   * EOS marker; nothing may follow EOS). Call `body` for its body before asking for the next one.
   */
  async next(): Promise<PendingBatch | undefined> {
    if (this.ended) return undefined;
    if (!(await this.fill(4))) {
      if (this.avail === 0) return this.end();
      throw truncatedArrow(`a message prefix (${this.avail} stray bytes at the end)`);
    }
    const peek = this.take(4);
    let metaLength = this.int32At(peek, 0);
    let prefix = peek;
    if (metaLength === CONTINUATION) {
      if (!(await this.fill(4))) throw truncatedArrow('a message prefix');
      const len = this.take(4);
      metaLength = this.int32At(len, 0);
      prefix = Buffer.concat([peek, len]);
    }
    if (metaLength === 0) return this.endOfStream();
    if (metaLength < 0) throw malformedArrow(`negative metadata length ${metaLength}`);
    if (metaLength > this.maxMetadata) throw malformedArrow(`metadata length ${metaLength} exceeds the ${this.maxMetadata} bytes a batch of this schema needs`);
    if (!(await this.fill(metaLength))) throw truncatedArrow(`message metadata (${metaLength} bytes declared, ${this.avail} left)`);
    const meta = this.take(metaLength);
    const header = parseBatchHeader(meta);
    const head = new Uint8Array(prefix.byteLength + metaLength);
    head.set(prefix, 0);
    head.set(meta, prefix.byteLength);
    return { head, header };
  }

  /** The body of the message last returned by `next` (its length already checked against its buffers). */
  async body(length: number): Promise<Uint8Array[]> {
    if (!(await this.fill(length))) throw truncatedArrow(`a message body (${length} bytes declared, ${this.avail} left)`);
    return this.takePieces(length);
  }

  private end(): undefined {
    this.ended = true;
    return undefined;
  }

  /** After EOS the payload must be over: bytes there mean a length field was corrupted to 0. */
  private async endOfStream(): Promise<undefined> {
    if (await this.fill(1)) throw malformedArrow(`${this.avail}${this.done ? '' : '+'} bytes after the end-of-stream marker`);
    return this.end();
  }
}
