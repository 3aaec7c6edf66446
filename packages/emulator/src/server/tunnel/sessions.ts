// Shapes of tunnel sessions: frozen download snapshots (table or instance result) and upload block sets.
import type { Column } from '@odps-ts/odps-client';
import type { RowSource } from './row-source.js';

export interface DownloadSession {
  id: string;
  kind: 'table' | 'instance';
  project: string;
  /** Table sessions: schema and table name; instance sessions: the instance id in `table`. */
  schema: string;
  target: string;
  /** Full partition spec in key order (table sessions of partitioned tables). */
  partition?: Record<string, string>;
  columns: Column[];
  partitionKeys: Column[];
  /** The snapshot of the data columns, frozen at creation (read chunk by chunk). */
  source: RowSource;
  created: Date;
  owner: string;
  quotaName: string;
}

export interface UploadedBlock {
  blockId: number;
  rows: unknown[][];
  bytes: number;
  created: Date;
  /** Increments when the block id is uploaded again (the last upload wins). */
  version: number;
}

// Lower case as the service spells them; clients compare case-insensitively (tunnel.md §6.1).
export type UploadStatus = 'normal' | 'closing' | 'closed';

export interface UploadSession {
  id: string;
  project: string;
  schema: string;
  table: string;
  partition?: Record<string, string>;
  overwrite: boolean;
  createPartition: boolean;
  columns: Column[];
  partitionKeys: Column[];
  blocks: Map<number, UploadedBlock>;
  status: UploadStatus;
  created: Date;
  owner: string;
  quotaName: string;
}
