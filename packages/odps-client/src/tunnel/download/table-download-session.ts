// Table tunnel download session (tunnel.md §2): create/reload by id, then record or Arrow readers.
import { OdpsArgumentError } from '../../errors.js';
import { PartitionSpec, type PartitionSpecInput } from '../../core/partition-spec.js';
import type { Column } from '../../types/column.js';
import type { TunnelCommonOptions, TunnelContext } from '../session/context.js';
import { partitionParam } from '../session/partition-param.js';
import { DownloadSession } from './download-session.js';
import { partitionValue } from './partition-value.js';

export interface TableRef {
  project: string;
  name: string;
  /** Schema of a three-tier project: the path becomes /projects/p/schemas/s/tables/t. */
  schema?: string;
}

export interface DownloadSessionOptions extends TunnelCommonOptions {
  /** Full partition spec of a partitioned table ("ds='2025',hh=08", "ds=2025/hh=08" or an object). */
  partition?: PartitionSpecInput;
  /** `asyncmode=true`: the server prepares the snapshot in the background; we poll while INITIATING. */
  async?: boolean;
  /** Give up polling an INITIATING session after this long (default 1 h). */
  waitTimeoutMs?: number;
}

export function tablePath(t: TableRef): string[] {
  return t.schema ? ['projects', t.project, 'schemas', t.schema, 'tables', t.name] : ['projects', t.project, 'tables', t.name];
}

export class TableDownloadSession extends DownloadSession {
  readonly table: TableRef;
  readonly partition?: PartitionSpec;

  private constructor(ctx: TunnelContext, table: TableRef, opts: DownloadSessionOptions) {
    super({ ctx, project: table.project, path: tablePath(table), common: opts });
    this.table = table;
    if (opts.partition !== undefined) this.partition = PartitionSpec.from(opts.partition);
  }

  /** `POST …/tables/<t>?downloads[&partition=…][&asyncmode=true]`. */
  static async create(ctx: TunnelContext, table: TableRef, opts: DownloadSessionOptions = {}): Promise<TableDownloadSession> {
    const s = new TableDownloadSession(ctx, table, opts);
    const wait: { async?: boolean; waitTimeoutMs?: number } = {};
    if (opts.async) wait.async = true;
    if (opts.waitTimeoutMs !== undefined) wait.waitTimeoutMs = opts.waitTimeoutMs;
    await s.createWith(s.sessionQuery(), wait);
    return s;
  }

  /** Reattach to an existing session by id (`GET ?downloadid=`); pass the same partition and quota. */
  static async attach(ctx: TunnelContext, table: TableRef, downloadId: string, opts: DownloadSessionOptions = {}): Promise<TableDownloadSession> {
    if (!downloadId) throw new OdpsArgumentError('downloadId is required');
    const s = new TableDownloadSession(ctx, table, opts);
    s.id = downloadId;
    await s.reload();
    return s;
  }

  protected sessionQuery(): Record<string, string | undefined> {
    return { partition: partitionParam(this.partition) };
  }

  /** Partition columns may be asked for: their values come from the session's partition spec. */
  protected override extraColumn(name: string): { column: Column; value: unknown } | undefined {
    const column = this.schema.partitionColumns.find((c) => c.name.toLowerCase() === name.toLowerCase());
    if (!column) return undefined;
    const raw = this.partition?.get(column.name);
    if (raw === undefined) throw new OdpsArgumentError(`partition column "${column.name}" was asked for but the session has no value for it`);
    return { column, value: partitionValue(column, raw) };
  }

  protected override arrowTimestampLayout(): 'ns' | 'struct' | 'auto' {
    return 'auto';
  }
}
