// `odps.storage`: the Storage API entry (read sessions over tables, split reads as Arrow).
import type { RecordBatch } from 'apache-arrow';
import { OdpsArgumentError } from '../errors.js';
import type { ClientContext } from '../core/context.js';
import { readSplit, type ReadSplitOptions } from './read-split.js';
import type { StorageTable } from './request.js';
import { ReadSession, type ReadSessionOptions } from './session.js';
import type { SplitDescriptor } from './split.js';

export interface StorageTableRef {
  table: string;
  /** Default: the client's project. */
  project?: string;
  /** Default: the client's schema, else `default`. */
  schema?: string;
  quotaName?: string;
}

export class Storage {
  constructor(private readonly ctx: ClientContext) {}

  private target(ref: StorageTableRef | string): StorageTable {
    const r = typeof ref === 'string' ? { table: ref } : ref;
    if (typeof r.table !== 'string' || r.table === '') throw new OdpsArgumentError('a Storage API call needs a table name');
    const out: StorageTable = { project: r.project ?? this.ctx.project, schema: r.schema ?? this.ctx.schema ?? 'default', table: r.table };
    if (r.quotaName) out.quotaName = r.quotaName;
    return out;
  }

  /** PyODPS `create_read_session`: a frozen, optionally filtered and projected view cut into splits. */
  createReadSession(table: StorageTableRef | string, opts: ReadSessionOptions = {}): Promise<ReadSession> {
    return ReadSession.create(this.ctx.transport, this.target(table), opts);
  }

  /** PyODPS `get_read_session`: an existing session by id (for example one created by another process). */
  async getReadSession(table: StorageTableRef | string, sessionId: string, opts: { signal?: AbortSignal } = {}): Promise<ReadSession> {
    const session = new ReadSession(this.ctx.transport, this.target(table));
    session.id = sessionId;
    return session.reload(opts);
  }

  /** PyODPS `read_rows_arrow`: one split (a descriptor object or its JSON) as RecordBatches, resumable. */
  readSplit(descriptor: SplitDescriptor | string, opts: ReadSplitOptions = {}): AsyncGenerator<RecordBatch, void, undefined> {
    return readSplit(this.ctx.transport, descriptor, opts);
  }
}
