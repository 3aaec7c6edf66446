// A table with its full metadata, bound to the client so it can reload itself and reach its partitions.
import type { CallOptions, OdpsContext } from './context.js';
import type { ArrowBlockWriter } from '../tunnel/upload/arrow-writer.js';
import type { RecordBlockWriter } from '../tunnel/upload/record-writer.js';
import type { StreamRecordWriter } from '../tunnel/stream/stream-writer.js';
import type { Row } from '../tunnel/records/record-decoder.js';
import * as tunnel from '../tunnel/table-tunnel.js';
import { Partitions } from './partitions.js';
import { tableHead, type HeadOptions, type TableHead } from './table-head.js';
import { fetchTableNode } from './table-load.js';
import { parseTableExtendedInfo, type TableMeta } from './table-meta.js';

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
}
