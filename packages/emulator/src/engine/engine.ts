// createEngine(): the DuckDB-backed MaxCompute engine behind the emulator (contracts §4).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBDataChunk, DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { parseType } from '@odps-ts/odps-client';
import { AsyncMutex } from './async-mutex.js';
import { MetaStore } from './catalog.js';
import { lockDown } from './lock-down.js';
import type { Catalog } from './catalog.js';
import type { TableEntry } from './catalog.js';
import { physicalSchema, physicalTable, quoteIdent, specSql, specText } from './physical-names.js';
import { runScript } from './script.js';
import { Session } from './session.js';
import { QueryControl } from './query-control.js';
import { fromDuckError, partitionNotFound, queryCancelled, queryTimedOut, semanticError, SqlError, tableNotFound } from './sql-error.js';
import { normalizeSpec, specWhere } from './statements/partition-spec.js';
import { toDuck, ValueTypeError } from './to-duck.js';
import { columnTypesOf, readRowsSql, resultRows } from './read-rows.js';
import { applyWriteRules } from './write-rules.js';
import type { KeptResult } from './session.js';
import { SNAPSHOT_CHUNK_ROWS, TableSnapshot } from './table-snapshot.js';
import { predicateSql } from './snapshot-filter.js';
import { createSchemaIn, dropSchemaIn, getSchema, listSchemas } from './schemas.js';
import type {
  CreateSchemaOptions, Engine, EngineOptions, SchemaInfo, ExecuteOptions, PartitionInfo, ReadRowsOptions, ReadSnapshotOptions, SnapshotInfo, SnapshotOptions, SqlResult, TableInfo,
  WriteRowsOptions,
} from './types.js';

const DEFAULT_OWNER = 'ALIYUN$odps-emulator@localhost';
/** In-memory database (attached, so never in a dataDir file) holding large query results kept for instance tunnels. */
const RESULTS_DB = '__odps_results';
const CHUNK_ROWS = 2048;
const DEFAULT_MAX_QUERY_MS = 5 * 60 * 1000;

function cloneInfo(info: TableInfo): TableInfo {
  return structuredClone(info);
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

class DuckEngine implements Engine {
  private readonly mutex = new AsyncMutex();
  private closed = false;
  private readonly snapshots = new Map<string, TableSnapshot>();
  /** Result tables owned by a snapshot (dropped with it). */
  private readonly ownedTables = new Map<string, string>();
  private snapshotSeq = 0;
  /** Cancellation of the execute() holding the engine lock. */
  control: QueryControl | undefined;
  catalog: Catalog;

  constructor(
    private readonly instance: DuckDBInstance,
    readonly conn: DuckDBConnection,
    readonly meta: MetaStore,
    catalog: Catalog,
    private readonly defaultOwner: string,
    private readonly maxQueryMs: number,
  ) {
    this.catalog = catalog;
  }

  restoreCatalog(snapshot: Catalog['tables']): void {
    this.catalog.tables.clear();
    for (const [k, v] of snapshot) this.catalog.tables.set(k, v);
  }

  private entry(project: string, table: string, schema?: string): TableEntry {
    const e = this.catalog.get(project, schema ?? 'default', table);
    if (!e) throw tableNotFound(undefined, project, schema && schema !== 'default' ? `${schema}.${table}` : table);
    return e;
  }

  private guard<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('engine is closed'));
    return this.mutex.run(fn);
  }

  listTables(project: string, opts: { prefix?: string; owner?: string; type?: string; schema?: string } = {}): TableInfo[] {
    const prefix = opts.prefix?.toLowerCase();
    return this.catalog
      .list(project, opts.schema ?? 'default')
      .map((e) => e.info)
      .filter((i) => (prefix === undefined || i.name.startsWith(prefix)) && (opts.owner === undefined || i.owner === opts.owner) && (opts.type === undefined || i.type === opts.type))
      .sort((a, b) => compareNames(a.name, b.name))
      .map(cloneInfo);
  }

  getTable(project: string, name: string, schema?: string): TableInfo | undefined {
    const e = this.catalog.get(project, schema ?? 'default', name);
    return e ? cloneInfo(e.info) : undefined;
  }

  listPartitions(project: string, table: string, schema?: string): PartitionInfo[] {
    const e = this.catalog.get(project, schema ?? 'default', table);
    if (!e) return [];
    return [...e.partitions.values()]
      .sort((a, b) => compareNames(specText(a.spec), specText(b.spec)))
      .map((p) => structuredClone(p));
  }

  /** Per-table stats not in the contract: row count of a table (all partitions). */
  tableRecordCount(project: string, table: string, schema?: string): number {
    return this.catalog.get(project, schema ?? 'default', table)?.recordCount ?? 0;
  }

  listSchemas(project: string): SchemaInfo[] {
    return listSchemas(this.catalog, project, this.defaultOwner);
  }

  getSchema(project: string, name: string): SchemaInfo | undefined {
    return getSchema(this.catalog, project, name, this.defaultOwner);
  }

  createSchema(project: string, name: string, opts: CreateSchemaOptions = {}): Promise<SchemaInfo> {
    return this.guard(() => this.inTransaction(() => createSchemaIn(this, project, name, opts, this.defaultOwner)));
  }

  dropSchema(project: string, name: string, opts: { ifExists?: boolean } = {}): Promise<void> {
    return this.guard(() => this.inTransaction(() => dropSchemaIn(this, project, name, opts)));
  }

  /** Run catalog writes in one DuckDB transaction (caller holds the engine lock). */
  private async inTransaction<T>(fn: () => Promise<T>): Promise<T> {
    await this.conn.run('BEGIN TRANSACTION');
    try {
      const out = await fn();
      await this.conn.run('COMMIT');
      return out;
    } catch (err) {
      try {
        await this.conn.run('ROLLBACK');
      } catch {
        // already aborted
      }
      throw fromDuckError(err, undefined);
    }
  }

  execute(project: string, sql: string, opts: ExecuteOptions = {}): Promise<SqlResult> {
    return this.guard(async () => {
      // Stopped while waiting for the lock: never start.
      if (opts.signal?.aborted) throw queryCancelled();
      const control = new QueryControl(this.conn);
      const onAbort = (): void => control.cancel(queryCancelled());
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      const timer = setTimeout(() => control.cancel(queryTimedOut(this.maxQueryMs)), this.maxQueryMs);
      this.control = control;
      try {
        return await runScript(this, project, sql, opts, opts.owner ?? this.defaultOwner);
      } finally {
        this.control = undefined;
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
      }
    });
  }

  private whereFor(e: TableEntry, partition: Record<string, string> | undefined): string {
    if (!partition || Object.keys(partition).length === 0) return 'TRUE';
    if (e.info.partitionKeys.length === 0) {
      throw semanticError(undefined, `table ${e.info.project}.${e.info.name} is not partitioned`);
    }
    const spec = normalizeSpec(e, partition, true);
    if (Object.keys(spec).length === e.info.partitionKeys.length && !e.partitions.has(specText(spec))) {
      throw partitionNotFound(undefined, `${e.info.project}.${e.info.name}`, specSql(spec));
    }
    return specWhere(spec);
  }

  readRows(project: string, table: string, opts: ReadRowsOptions): Promise<unknown[][]> {
    return this.guard(async () => {
      const e = this.entry(project, table, opts.schema);
      const names = (opts.columns ?? e.info.columns.map((c) => c.name)).map((c) => c.toLowerCase());
      for (const n of names) {
        if (!e.info.columns.some((c) => c.name === n)) {
          throw semanticError(undefined, `column ${n} cannot be resolved in ${e.info.project}.${e.info.name}`);
        }
      }
      if (names.length === 0) return [];
      const where = this.whereFor(e, opts.partition);
      let tail = '';
      if (opts.limit !== undefined) tail += ` LIMIT ${Math.max(0, Math.floor(opts.limit))}`;
      if (opts.offset !== undefined) tail += ` OFFSET ${Math.max(0, Math.floor(opts.offset))}`;
      const phys = physicalTable(e.info.project, e.info.schema, e.info.name);
      try {
        return await readRowsSql(this.conn, phys, await columnTypesOf(this.conn, phys, names), where, tail);
      } catch (err) {
        throw fromDuckError(err, undefined);
      }
    });
  }

  snapshot(project: string, table: string, opts: SnapshotOptions): Promise<SnapshotInfo> {
    return this.guard(async () => {
      const e = this.entry(project, table, opts.schema);
      let where = this.whereFor(e, opts.partition);
      if (opts.partitions && opts.partitions.length > 0) {
        where += ` AND (${opts.partitions.map((p) => this.whereFor(e, p)).join(' OR ')})`;
      }
      if (opts.filter) {
        const names = new Set([...e.info.columns, ...e.info.partitionKeys].map((c) => c.name.toLowerCase()));
        where += ` AND ${predicateSql(opts.filter, names)}`;
      }
      try {
        return await this.openSnapshot({
          relation: physicalTable(e.info.project, e.info.schema, e.info.name),
          isView: e.info.type === 'VIRTUAL_VIEW',
          where,
          columns: e.info.columns.map((c) => c.name.toLowerCase()),
        });
      } catch (err) {
        throw fromDuckError(err, undefined);
      }
    });
  }

  /** Caller holds the engine lock. */
  private async openSnapshot(source: Parameters<typeof TableSnapshot.open>[2], ownedTable?: string): Promise<SnapshotInfo> {
    const id = `snap${++this.snapshotSeq}`;
    // Settings (time zone, sandbox lock) are global: the new connection inherits them.
    const conn = await this.instance.connect();
    const snap = await TableSnapshot.open(id, conn, source);
    this.snapshots.set(id, snap);
    if (ownedTable) this.ownedTables.set(id, ownedTable);
    return { id, count: snap.count, columns: snap.columnNames, chunkRows: SNAPSHOT_CHUNK_ROWS };
  }

  /**
   * Run a query into a result table (caller holds the engine lock). Up to `keepOver` rows come back
   * as value-model rows and the table goes; beyond that the table stays behind a snapshot and only
   * the first keepOver + 1 rows are read. Undefined when DuckDB cannot store the result as a table
   * (e.g. duplicate column names): the caller runs the query the ordinary way.
   */
  async keepQueryResult(sql: string, keepOver: number): Promise<KeptResult | undefined> {
    const run = <T>(fn: () => Promise<T>): Promise<T> => (this.control ? this.control.run(fn) : fn());
    try {
      // A table renames duplicate column names (`SELECT a, a`): such results stay on the plain path.
      const prepared = await run(() => this.conn.prepare(sql));
      const names = Array.from({ length: prepared.columnCount }, (_, i) => prepared.columnName(i).toLowerCase());
      prepared.destroySync();
      if (new Set(names).size !== names.length) return undefined;
    } catch (err) {
      if (this.control?.cancelled) throw err;
      return undefined;
    }
    const table = `${quoteIdent(RESULTS_DB)}.main.${quoteIdent(`r${++this.snapshotSeq}`)}`;
    try {
      await run(() => this.conn.run(`CREATE TABLE ${table} AS ${sql}`));
    } catch (err) {
      // An interrupted query must not run again on the plain path.
      if (this.control?.cancelled) throw err;
      return undefined;
    }
    try {
      const head = await run(() => this.conn.run(`SELECT * FROM ${table} LIMIT ${keepOver + 1}`));
      const names = head.columnNames();
      const types = head.columnTypes();
      const rows = await resultRows(head);
      if (rows.length <= keepOver) {
        await this.conn.run(`DROP TABLE ${table}`);
        return { names, types, rows };
      }
      const snapshot = await this.openSnapshot({ relation: table, isView: false, where: 'TRUE', columns: names }, table);
      return { names, types, rows, snapshot };
    } catch (err) {
      await this.conn.run(`DROP TABLE IF EXISTS ${table}`);
      throw err;
    }
  }

  /** Drop a snapshot and its result table (caller holds the engine lock). */
  async dropSnapshotLocked(id: string): Promise<void> {
    const snap = this.snapshots.get(id);
    if (!snap) return;
    this.snapshots.delete(id);
    await snap.drop();
    const table = this.ownedTables.get(id);
    if (table) {
      this.ownedTables.delete(id);
      await this.conn.run(`DROP TABLE IF EXISTS ${table}`);
    }
  }

  async readSnapshot(id: string, opts: ReadSnapshotOptions): Promise<unknown[][]> {
    if (this.closed) throw new Error('engine is closed');
    const snap = this.snapshots.get(id);
    if (!snap) throw new Error(`no download snapshot ${id} (dropped or never created)`);
    const names = (opts.columns ?? snap.columnNames).map((c) => c.toLowerCase());
    try {
      return await snap.read(Math.max(0, Math.floor(opts.offset)), Math.max(0, Math.floor(opts.limit)), names);
    } catch (err) {
      throw fromDuckError(err, undefined);
    }
  }

  async dropSnapshot(id: string): Promise<void> {
    if (!this.snapshots.has(id) || this.closed) return;
    if (!this.ownedTables.has(id)) {
      const snap = this.snapshots.get(id)!;
      this.snapshots.delete(id);
      await snap.drop();
      return;
    }
    await this.guard(() => this.dropSnapshotLocked(id));
  }

  /** Open snapshots (tests and diagnostics). */
  get snapshotCount(): number {
    return this.snapshots.size;
  }

  countRows(project: string, table: string, opts: { partition?: Record<string, string>; schema?: string }): Promise<number> {
    return this.guard(async () => {
      const e = this.entry(project, table, opts.schema);
      const where = this.whereFor(e, opts.partition);
      const reader = await this.conn.runAndReadAll(
        `SELECT count(*) FROM ${physicalTable(e.info.project, e.info.schema, e.info.name)} WHERE ${where}`,
      );
      return Number(reader.getRows()[0]![0]);
    });
  }

  writeRows(project: string, table: string, rows: unknown[][], opts: WriteRowsOptions): Promise<void> {
    return this.guard(async () => {
      const e = this.entry(project, table, opts.schema);
      const info = e.info;
      if (info.type === 'VIRTUAL_VIEW' || info.type === 'MATERIALIZED_VIEW') {
        throw semanticError(undefined, `cannot write to ${info.type === 'VIRTUAL_VIEW' ? 'view' : 'materialized view'} ${info.project}.${info.name}`);
      }
      let spec: Record<string, string> | undefined;
      if (info.partitionKeys.length > 0) {
        if (!opts.partition) throw semanticError(undefined, `table ${info.project}.${info.name} is partitioned: a partition spec is required`);
        spec = normalizeSpec(e, opts.partition);
        if (!e.partitions.has(specText(spec)) && !opts.createPartition) {
          throw partitionNotFound(undefined, `${info.project}.${info.name}`, specSql(spec));
        }
      } else if (opts.partition && Object.keys(opts.partition).length > 0) {
        throw semanticError(undefined, `table ${info.project}.${info.name} is not partitioned`);
      }
      const convs = info.columns.map((c) => toDuck(parseType(c.type)));
      const nData = convs.length;
      const phys = physicalTable(info.project, info.schema, info.name);
      const snapshot = structuredClone(this.catalog.tables);
      await this.conn.run('BEGIN TRANSACTION');
      try {
        if (opts.overwrite) await this.conn.run(`DELETE FROM ${phys} WHERE ${spec ? specWhere(spec) : 'TRUE'}`);
        if (opts.deleteKeys && opts.deleteKeys.length > 0) await this.deleteByKey(phys, info, opts.deleteKeys, spec);
        if (rows.length > 0) await this.append(phys, info, rows, convs, nData, spec);
        await applyWriteRules(this.conn, info, undefined);
        const session = new Session(this, info.project, info.schema, this.defaultOwner, {});
        if (spec && !e.partitions.has(specText(spec))) {
          const now = new Date();
          const p = { spec, createTime: now, lastModifiedTime: now, recordCount: 0, size: 0 };
          e.partitions.set(specText(spec), p);
          await this.meta.savePartition(info, p);
        }
        await session.refreshStats(e, spec ? [spec] : 'all', undefined, true);
        await this.conn.run('COMMIT');
      } catch (err) {
        try {
          await this.conn.run('ROLLBACK');
        } catch {
          // already aborted
        }
        this.restoreCatalog(snapshot);
        if (err instanceof SqlError) throw err;
        if (err instanceof ValueTypeError) throw semanticError(undefined, err.message);
        throw fromDuckError(err, undefined);
      }
    });
  }

  /** One parameterised DELETE per key (upsert commits are small; keeps values out of the SQL text). */
  private async deleteByKey(phys: string, info: TableInfo, keys: unknown[][], spec: Record<string, string> | undefined): Promise<void> {
    const pk = info.primaryKey ?? [];
    if (pk.length === 0) throw semanticError(undefined, `table ${info.project}.${info.name} has no primary key`);
    const keyConvs = pk.map((k) => {
      const col = info.columns.find((c) => c.name.toLowerCase() === k.toLowerCase());
      if (!col) throw semanticError(undefined, `primary key column ${k} is not a column of ${info.name}`);
      return toDuck(parseType(col.type));
    });
    const where = pk.map((k, i) => `${quoteIdent(k)} = $${i + 1}`).join(' AND ');
    const sql = `DELETE FROM ${phys} WHERE ${where}${spec ? ` AND ${specWhere(spec)}` : ''}`;
    for (const key of keys) await this.conn.run(sql, key.map((v, i) => keyConvs[i]!(v)));
  }

  private async append(
    phys: string,
    info: TableInfo,
    rows: unknown[][],
    convs: ((v: unknown) => DuckDBValue)[],
    nData: number,
    spec: Record<string, string> | undefined,
  ): Promise<void> {
    const appender = await this.conn.createAppender(info.name.toLowerCase(), physicalSchema(info.project, info.schema));
    try {
      const types = Array.from({ length: appender.columnCount }, (_, i) => appender.columnType(i));
      const pkValues = info.partitionKeys.map((k) => spec![k.name]!);
      for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
        const n = Math.min(CHUNK_ROWS, rows.length - start);
        const columns: DuckDBValue[][] = types.map(() => new Array<DuckDBValue>(n));
        for (let r = 0; r < n; r++) {
          const row = rows[start + r]!;
          if (!Array.isArray(row) || row.length !== nData) {
            throw semanticError(undefined, `row ${start + r} has ${Array.isArray(row) ? row.length : 'no'} values, table ${info.name} has ${nData} columns`);
          }
          for (let c = 0; c < nData; c++) {
            try {
              columns[c]![r] = convs[c]!(row[c]);
            } catch (err) {
              const msg = err instanceof Error ? err.message : String(err);
              throw semanticError(undefined, `row ${start + r}, column ${info.columns[c]!.name} (${info.columns[c]!.type}): ${msg}`);
            }
          }
          for (let k = 0; k < pkValues.length; k++) columns[nData + k]![r] = pkValues[k]!;
        }
        const chunk = DuckDBDataChunk.create(types, n);
        chunk.setColumns(columns);
        appender.appendDataChunk(chunk);
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.mutex.run(async () => {
      this.closed = true;
      // drop() waits for a read in progress on the snapshot's connection before closing it.
      await Promise.all([...this.snapshots.values()].map((snap) => snap.drop()));
      this.snapshots.clear();
      this.ownedTables.clear();
      this.conn.closeSync();
      this.instance.closeSync();
    });
  }
}

async function recountAll(engine: DuckEngine): Promise<void> {
  for (const e of engine.catalog.tables.values()) {
    if (e.info.type === 'VIRTUAL_VIEW') continue;
    const info = e.info;
    const phys = physicalTable(info.project, info.schema, info.name);
    const rowWidth = Math.max(1, info.columns.length) * 8;
    if (info.partitionKeys.length === 0) {
      const r = await engine.conn.runAndReadAll(`SELECT count(*) FROM ${phys}`);
      e.recordCount = Number(r.getRows()[0]![0]);
      continue;
    }
    const keys = info.partitionKeys.map((k) => k.name);
    const r = await engine.conn.runAndReadAll(`SELECT ${keys.map(quoteIdent).join(', ')}, count(*) FROM ${phys} GROUP BY ALL`);
    let total = 0;
    for (const row of r.getRows()) {
      const spec: Record<string, string> = {};
      keys.forEach((k, i) => (spec[k] = String(row[i])));
      const p = e.partitions.get(specText(spec));
      const count = Number(row[keys.length]);
      total += count;
      if (p) {
        p.recordCount = count;
        p.size = count * rowWidth;
      }
    }
    e.recordCount = total;
  }
}

/** Open (or create) an engine; with dataDir the data lives in <dataDir>/emulator.duckdb and survives restarts. */
export async function createEngine(opts: EngineOptions = {}): Promise<Engine> {
  const maxQueryMs = opts.maxQueryMs ?? DEFAULT_MAX_QUERY_MS;
  if (!Number.isFinite(maxQueryMs) || maxQueryMs <= 0) {
    throw new RangeError(`createEngine: maxQueryMs must be a positive number, got ${maxQueryMs}`);
  }
  let path = ':memory:';
  if (opts.dataDir) {
    mkdirSync(opts.dataDir, { recursive: true });
    path = join(opts.dataDir, 'emulator.duckdb');
  }
  const instance = await DuckDBInstance.create(path);
  const conn = await instance.connect();
  await conn.run(`ATTACH ':memory:' AS ${quoteIdent(RESULTS_DB)}`);
  try {
    // Naive timestamps are read as UTC everywhere in the engine (every connection: GLOBAL); needs ICU, absent in some builds.
    await conn.run(`SET GLOBAL TimeZone = 'UTC'`);
  } catch {
    // Without ICU DuckDB has no time zones at all, which is UTC behaviour already.
  }
  const meta = new MetaStore(conn);
  await meta.init();
  await lockDown(conn);
  const catalog = await meta.load();
  const engine = new DuckEngine(instance, conn, meta, catalog, opts.defaultOwner ?? DEFAULT_OWNER, maxQueryMs);
  await recountAll(engine);
  return engine;
}

export { DuckEngine };
