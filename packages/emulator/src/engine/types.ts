// Public engine contract (contracts §4): table/partition metadata, SQL results and the Engine interface.
import type { Column, Predicate } from '@odps-ts/odps-client';
import type { UserFunctionLookup } from './sql/user-functions.js';

export interface TableInfo {
  project: string;
  schema: string;
  name: string;
  owner: string;
  comment: string;
  type: 'MANAGED_TABLE' | 'VIRTUAL_VIEW' | 'EXTERNAL_TABLE' | 'MATERIALIZED_VIEW';
  columns: Column[];
  partitionKeys: Column[];
  lifecycle: number;
  createTime: Date;
  lastDDLTime: Date;
  lastModifiedTime: Date;
  viewText?: string;
  /** TBLPROPERTIES ('transactional'='true'): UPDATE/DELETE/MERGE allowed (Reserved `Transactional`). */
  transactional?: boolean;
  /** Primary key columns in key order (Reserved `PrimaryKey`); unique per partition, last write wins. */
  primaryKey?: string[];
  /** CLUSTERED BY / RANGE CLUSTERED BY (Reserved `ClusterType`, `ClusterCols`, `SortCols`, `BucketNum`). */
  clusterInfo?: ClusterInfo;
}

export interface ClusterInfo {
  type: 'hash' | 'range';
  columns: string[];
  sortColumns: { name: string; order: 'ASC' | 'DESC' }[];
  /** 0 when not given (range clustering). */
  bucketNum: number;
}

export interface PartitionInfo {
  /** Key order = partition key order. */
  spec: Record<string, string>;
  createTime: Date;
  lastModifiedTime: Date;
  recordCount: number;
  /** Logical size estimate in bytes (the emulator does not measure storage). */
  size: number;
}

export interface SqlResult {
  columns: Column[];
  /** Rows in the value model (contracts §2). */
  rows: unknown[][];
  isSelect: boolean;
  /**
   * Extension: the whole result of a query kept in DuckDB (see ExecuteOptions.keepResultOver); `rows`
   * then holds only its first keepResultOver + 1 rows. Read it with readSnapshot; whoever holds the
   * result releases it with dropSnapshot.
   */
  snapshot?: SnapshotInfo;
  /**
   * Extension: console-style text for statements whose real output is text (DESC, SHOW ...).
   * Absent for DDL/DML and queries.
   */
  text?: string;
}

export interface ExecuteOptions {
  hints?: Record<string, string>;
  schema?: string;
  owner?: string;
  /** Extension: whether CREATE/DROP SCHEMA are allowed (the project's three-tier model); default true. */
  namespaceSchema?: boolean;
  /**
   * Extension: a query result with more rows than this is kept in DuckDB instead of JS memory
   * (SqlResult.snapshot), for instance tunnels over large results.
   */
  keepResultOver?: number;
  /** Extension: aborting it interrupts the script's running DuckDB query (instance stop). */
  signal?: AbortSignal;
  /** Extension: the project's registered functions (SQL functions run inline; UDF calls fail). */
  functions?: UserFunctionLookup;
}

export interface ReadRowsOptions {
  partition?: Record<string, string>;
  columns?: string[];
  schema?: string;
  /** Extension: skip this many rows (tunnel download ranges). */
  offset?: number;
  /** Extension: return at most this many rows. */
  limit?: number;
}

/** A frozen read view of a table or partition (tunnel download sessions). */
export interface SnapshotInfo {
  id: string;
  /** Rows in the snapshot. */
  count: number;
  /** Its columns (DuckDB names, lower case for tables), in order. */
  columns: string[];
  /** Reads aligned to multiples of this many rows cost one query each. */
  chunkRows: number;
}

/** What a snapshot freezes: a table, one partition, or (Storage API) several partitions and a filter. */
export interface SnapshotOptions {
  partition?: Record<string, string>;
  schema?: string;
  /** Extension (Storage API): rows of any of these partitions. */
  partitions?: Record<string, string>[];
  /** Extension (Storage API): only rows matching this parsed predicate (pushdown). */
  filter?: Predicate;
}

export interface ReadSnapshotOptions {
  offset: number;
  limit: number;
  /** Data columns in the wanted order (default: all, table order). */
  columns?: string[];
}

export interface WriteRowsOptions {
  partition?: Record<string, string>;
  overwrite?: boolean;
  createPartition?: boolean;
  schema?: string;
  /**
   * Primary-key values (in `primaryKey` order) whose rows are deleted in the same transaction before
   * `rows` are written: the delete half of an upsert-session commit. Needs a primary-key table.
   */
  deleteKeys?: unknown[][];
}

/** A schema of a three-tier project (rest.md §6). */
export interface SchemaInfo {
  project: string;
  name: string;
  comment: string;
  owner: string;
  createTime: Date;
  lastModifiedTime: Date;
}

export interface CreateSchemaOptions {
  comment?: string;
  owner?: string;
  ifNotExists?: boolean;
}

export interface Engine {
  listTables(project: string, opts?: { prefix?: string; owner?: string; type?: string; schema?: string }): TableInfo[];
  getTable(project: string, name: string, schema?: string): TableInfo | undefined;
  listPartitions(project: string, table: string, schema?: string): PartitionInfo[];
  /** Run a MaxCompute SQL script (one or more statements; SET k=v; lines are hints). Result of the last statement. */
  execute(project: string, sql: string, opts?: ExecuteOptions): Promise<SqlResult>;
  /** Rows of a table or one partition, data columns only (never partition columns), in stable order. */
  readRows(project: string, table: string, opts: ReadRowsOptions): Promise<unknown[][]>;
  countRows(project: string, table: string, opts: { partition?: Record<string, string>; schema?: string }): Promise<number>;
  /** Append (or overwrite) rows given in value model order of the table's data columns; creates the partition if asked. Atomic. */
  writeRows(project: string, table: string, rows: unknown[][], opts: WriteRowsOptions): Promise<void>;
  /**
   * Extension (tunnel downloads): freeze the data columns of a table or partition now without copying
   * them; later writes, DDL and drops do not change what the snapshot reads. Engines without it make
   * the emulator fall back to readRows() held in memory.
   */
  snapshot?(project: string, table: string, opts: SnapshotOptions): Promise<SnapshotInfo>;
  /** Rows of a snapshot in its stable order (the table's insertion order), identical for every reader. */
  readSnapshot?(id: string, opts: ReadSnapshotOptions): Promise<unknown[][]>;
  /** Release a snapshot (idempotent; unknown ids are ignored). */
  dropSnapshot?(id: string): Promise<void>;
  /** Extension (three-tier projects): schemas of a project by name, `default` included. */
  listSchemas?(project: string): SchemaInfo[];
  getSchema?(project: string, name: string): SchemaInfo | undefined;
  createSchema?(project: string, name: string, opts?: CreateSchemaOptions): Promise<SchemaInfo>;
  /** Refuses `default` and schemas that still hold tables. */
  dropSchema?(project: string, name: string, opts?: { ifExists?: boolean }): Promise<void>;
  close(): Promise<void>;
}

export interface EngineOptions {
  /** Directory holding emulator.duckdb; in-memory when absent. */
  dataDir?: string;
  /** Owner recorded for tables created without an explicit owner. */
  defaultOwner?: string;
  /** Longest one execute() may hold the engine before it is interrupted and fails (default 300000 ms). */
  maxQueryMs?: number;
}
