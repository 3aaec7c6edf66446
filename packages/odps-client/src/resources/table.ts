// A table with its full metadata, bound to the client so it can reload itself and reach its partitions.
import type { CallOptions, OdpsContext } from './context.js';
import type { ArrowBlockWriter } from '../tunnel/upload/arrow-writer.js';
import type { RecordBlockWriter } from '../tunnel/upload/record-writer.js';
import type { StreamRecordWriter } from '../tunnel/stream/stream-writer.js';
import type { UpsertWriter } from '../tunnel/upsert/upsert-writer.js';
import type { Row } from '../tunnel/records/record-decoder.js';
import * as tunnel from '../tunnel/table-tunnel.js';
import { Storage } from '../storage/storage.js';
import type { ReadSession, ReadSessionOptions } from '../storage/session.js';
import { Partitions } from './partitions.js';
import { tableHead, type HeadOptions, type TableHead } from './table-head.js';
import { fetchTableNode } from './table-load.js';
import * as maint from './table-maintenance.js';
import { parseTableExtendedInfo, parseTableMeta, type TableMeta } from './table-meta.js';
import type { ColumnDefinition } from '../sql/ddl.js';
import type { ColumnChange } from '../sql/alter-table.js';

/** A table's metadata fields (name, schema, owner, sizes, times, ...) are properties of the Table itself. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface Table extends TableMeta {}

/**
 * A table with its metadata as loaded, PyODPS `Table`: get one with `odps.tables.get(name)`.
 * Reads and writes go through the Tunnel (`openReader`, `openWriter`, ...); `head` through REST.
 * Metadata is a snapshot: load the table again to see changes.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class Table {
  /** Partitions of this table (list/get/exists/add/drop). */
  readonly partitions: Partitions;
  /** The client this table came from (used by the tunnel to open readers and writers). */
  readonly context: OdpsContext;
  /** The schema the table was addressed with (sent as `curr_schema`). */
  readonly #scopeSchema: string | undefined;

  /** `scope.schema`: the schema the table was addressed with (sent as `curr_schema` by partition calls). */
  constructor(context: OdpsContext, meta: TableMeta, scope: { schema?: string | undefined } = {}) {
    Object.assign(this, meta);
    this.context = context;
    this.#scopeSchema = scope.schema;
    this.partitions = new Partitions(context, {
      project: meta.project,
      name: meta.name,
      partitionKeys: meta.schema.partitionColumns.map((c) => c.name),
      ...(scope.schema ? { schemaName: scope.schema } : {}),
    });
  }

  /**
   * Load the extended info (`GET …?extended`: transactional, primary key, physical size, file count,
   * Reserved) and merge it into this table (PyODPS `reload_extend_info`, Java `reloadExtendInfo`).
   */
  async loadExtendedInfo(options: CallOptions = {}): Promise<this> {
    const node = await fetchTableNode(this.context, { project: this.project, name: this.name, schema: this.#scopeSchema }, true, options.signal);
    Object.assign(this, parseTableExtendedInfo(node, this.name));
    return this;
  }

  /** True when the table has partition columns (PyODPS `table.table_schema.partitions`). */
  get isPartitioned(): boolean {
    return this.schema.partitionColumns.length > 0;
  }

  /** Data columns followed by partition columns. */
  get allColumns(): TableMeta['schema']['columns'] {
    return [...this.schema.columns, ...this.schema.partitionColumns];
  }

  /**
   * The first `n` rows (1-10 000) of the table or one partition, typed by the table schema: PyODPS
   * `head()` (`GET ?data&linenum=n`, CSV). For all rows use `openReader()`.
   */
  head(n: number, options: HeadOptions = {}): Promise<TableHead> {
    return tableHead(this.context, this, this.#scopeSchema, n, options);
  }

  /** Table tunnel download session (`POST ?downloads`); reuse it for several (parallel) readers. */
  createDownloadSession(options: tunnel.TableDownloadOptions = {}): ReturnType<typeof tunnel.createDownloadSession> {
    return tunnel.createDownloadSession(this, options);
  }

  /** Table tunnel upload session (`POST ?uploads`). */
  createUploadSession(options: tunnel.TableUploadOptions = {}): ReturnType<typeof tunnel.createUploadSession> {
    return tunnel.createUploadSession(this, options);
  }

  /**
   * Rows through a new download session (PyODPS `table.open_reader()`):
   * `for await (const row of await table.openReader({ partition }))`. With `asObjects: true` each row
   * is an object keyed by column name, else an array in column order (partition columns last).
   * Throws `NoSuchObjectError` for a missing table or partition, `TunnelError` on tunnel failures.
   */
  openReader(options: tunnel.TableReaderOptions & { asObjects: true }): Promise<tunnel.TableRecordReader<Record<string, unknown>>>;
  /** Rows as arrays in column order (the default). */
  openReader(options?: tunnel.TableReaderOptions & { asObjects?: false }): Promise<tunnel.TableRecordReader<Row>>;
  openReader(options: tunnel.TableReaderOptions = {}): Promise<tunnel.TableRecordReader<Row | Record<string, unknown>>> {
    return tunnel.openTableReader(this, options);
  }

  /** apache-arrow RecordBatches through a new download session (PyODPS `open_reader(arrow=True)`). */
  openArrowReader(options: tunnel.TableArrowReaderOptions = {}): Promise<tunnel.TableArrowReader> {
    return tunnel.openTableArrowReader(this, options);
  }

  /** A Storage API read session over this table (see `odps.storage.createReadSession`). */
  openReadSession(options: ReadSessionOptions = {}): Promise<ReadSession> {
    const schema = this.#scopeSchema ?? this.schemaName ?? this.context.schema ?? 'default';
    return new Storage(this.context).createReadSession({ project: this.project, schema, table: this.name }, options);
  }

  /**
   * A block writer on a new upload session (PyODPS `table.open_writer()`): `write(rows)`, then
   * `commit()` (or `abort()`). Nothing is visible until commit; `overwrite` replaces the partition.
   */
  openWriter(options: tunnel.TableWriterOptions = {}): Promise<RecordBlockWriter> {
    return tunnel.openTableWriter(this, options);
  }

  /** An Arrow block writer on a new upload session (PyODPS `open_writer(arrow=True)`): write RecordBatches, then `commit()`. */
  openArrowWriter(options: tunnel.TableArrowWriterOptions = {}): Promise<ArrowBlockWriter> {
    return tunnel.openTableArrowWriter(this, options);
  }

  /** A stream writer (auto-commit micro-batches): `write(rows)`; rows are visible after each flush; `close()`. */
  openStreamWriter(options: tunnel.TableStreamWriterOptions = {}): Promise<StreamRecordWriter> {
    return tunnel.openTableStreamWriter(this, options);
  }

  /** An upsert writer (transactional primary-key tables): `upsert(row)`, `delete(key)`, then `commit()` or `abort()`. */
  openUpsertWriter(options: tunnel.TableUpsertWriterOptions = {}): Promise<UpsertWriter> {
    return tunnel.openTableUpsertWriter(this, options);
  }

  // ---- Maintenance (PyODPS Table.truncate / rename / set_lifecycle / ...): generated SQL, waited for.
  // These change the table on the server, not this snapshot: `tables.get()` again for new metadata.

  #target(): maint.MaintainedTable {
    return {
      project: this.project, schema: this.#scopeSchema, name: this.name,
      partitionKeys: this.schema.partitionColumns.map((c) => c.name), columns: this.schema.columns,
    };
  }

  async #run(sql: string, options: maint.MaintenanceOptions): Promise<void> {
    await maint.runMaintenance(this.context, this.#target(), sql, options);
  }

  /** `TRUNCATE TABLE` (all rows, or only `partitions`). */
  async truncate(options: maint.TruncateOptions = {}): Promise<void> {
    await this.#run(maint.truncateStatement(this.#target(), options), options);
  }

  /** `ALTER TABLE ... RENAME TO`; resolves to the renamed table's fresh metadata. */
  async rename(newName: string, options: maint.MaintenanceOptions = {}): Promise<Table> {
    await this.#run(maint.renameStatement(this.#target(), newName), options);
    const ref = { project: this.project, name: newName, schema: this.#scopeSchema };
    const meta = parseTableMeta(await fetchTableNode(this.context, ref, false, options.signal), { project: this.project, name: newName });
    return new Table(this.context, meta, { schema: this.#scopeSchema });
  }

  /** `ALTER TABLE ... SET LIFECYCLE <days>`. */
  async setLifecycle(days: number, options: maint.MaintenanceOptions = {}): Promise<void> {
    await this.#run(maint.lifecycleStatement(this.#target(), days), options);
  }

  /** `ALTER TABLE ... SET COMMENT '...'`. */
  async setComment(comment: string, options: maint.MaintenanceOptions = {}): Promise<void> {
    await this.#run(maint.commentStatement(this.#target(), comment), options);
  }

  /** `ALTER TABLE ... ADD COLUMNS [IF NOT EXISTS] (...)`: new nullable data columns. */
  async addColumns(columns: ColumnDefinition[], options: maint.MaintenanceOptions & { ifNotExists?: boolean } = {}): Promise<void> {
    await this.#run(maint.addColumnsStatement(this.#target(), columns, options.ifNotExists ?? false), options);
  }

  /** `ALTER TABLE ... DROP COLUMNS a, b`. */
  async dropColumns(names: string[], options: maint.MaintenanceOptions = {}): Promise<void> {
    await this.#run(maint.dropColumnsStatement(this.#target(), names), options);
  }

  /** `ALTER TABLE ... CHANGE COLUMN`: rename, new comment, and/or a (widening) type change. */
  async changeColumn(column: string, change: ColumnChange, options: maint.MaintenanceOptions = {}): Promise<void> {
    await this.#run(maint.changeColumnStatement(this.#target(), column, change), options);
  }

  /** `ALTER TABLE ... TOUCH [PARTITION (...)]`: bumps the last-modified time. */
  async touch(options: maint.TouchOptions = {}): Promise<void> {
    await this.#run(maint.touchStatement(this.#target(), options), options);
  }

  /** The `CREATE TABLE`/`CREATE VIEW` text of this metadata, built locally (PyODPS `get_ddl`). */
  getDdl(): string {
    return maint.tableDdl(this, this.#scopeSchema);
  }
}
