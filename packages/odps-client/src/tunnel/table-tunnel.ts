// Convenience entry points behind Table.openReader/openWriter/...: one session per call.
import type { ArrowReader, RecordReader } from './download/readers.js';
import type { ReadOptions, RecordReadOptions } from './download/download-session.js';
import type { Row } from './records/record-decoder.js';
import { TableDownloadSession, type DownloadSessionOptions, type TableRef } from './download/table-download-session.js';
import type { TunnelContext } from './session/context.js';
import type { ArrowBlockWriter, ArrowWriterOptions } from './upload/arrow-writer.js';
import type { RecordBlockWriter, RecordWriterOptions } from './upload/record-writer.js';
import { TableUploadSession, type UploadSessionOptions } from './upload/upload-session.js';
import { TableStreamSession, type StreamSessionOptions } from './stream/stream-session.js';
import { StreamRecordWriter, type StreamWriterOptions } from './stream/stream-writer.js';
import { TableUpsertSession, type UpsertSessionOptions } from './upsert/upsert-session.js';
import { UpsertWriter, type UpsertWriterOptions } from './upsert/upsert-writer.js';

/** `table.openReader(opts)`: session options plus read options. */
export type TableReaderOptions = DownloadSessionOptions & RecordReadOptions;
export type TableArrowReaderOptions = DownloadSessionOptions & ReadOptions;
export type TableWriterOptions = UploadSessionOptions & RecordWriterOptions;
export type TableArrowWriterOptions = UploadSessionOptions & ArrowWriterOptions;
export type TableDownloadOptions = DownloadSessionOptions;
export type TableUploadOptions = UploadSessionOptions;
export type TableStreamWriterOptions = StreamSessionOptions & StreamWriterOptions;
export type TableUpsertWriterOptions = UpsertSessionOptions & UpsertWriterOptions;

/** A reader that also exposes the session it created (id, record count, schema). */
export type TableRecordReader<R> = RecordReader<R> & { readonly session: TableDownloadSession };
export type TableArrowReader = ArrowReader & { readonly session: TableDownloadSession };

export interface TableLike {
  readonly context: TunnelContext;
  readonly project: string;
  readonly name: string;
  readonly schemaName?: string;
}

export function tableRef(t: TableLike): TableRef {
  return t.schemaName ? { project: t.project, name: t.name, schema: t.schemaName } : { project: t.project, name: t.name };
}

export function createDownloadSession(t: TableLike, opts: DownloadSessionOptions = {}): Promise<TableDownloadSession> {
  return TableDownloadSession.create(t.context, tableRef(t), opts);
}

export function createUploadSession(t: TableLike, opts: UploadSessionOptions = {}): Promise<TableUploadSession> {
  return TableUploadSession.create(t.context, tableRef(t), opts);
}

export async function openTableReader(t: TableLike, opts: TableReaderOptions = {}): Promise<TableRecordReader<Row | Record<string, unknown>>> {
  const session = await createDownloadSession(t, opts);
  return Object.assign(session.openRecordReader(opts), { session }) as TableRecordReader<Row | Record<string, unknown>>;
}

export async function openTableArrowReader(t: TableLike, opts: TableArrowReaderOptions = {}): Promise<TableArrowReader> {
  const session = await createDownloadSession(t, opts);
  return Object.assign(session.openArrowReader(opts), { session });
}

export async function openTableWriter(t: TableLike, opts: TableWriterOptions = {}): Promise<RecordBlockWriter> {
  return (await createUploadSession(t, opts)).openWriter(opts);
}

export async function openTableArrowWriter(t: TableLike, opts: TableArrowWriterOptions = {}): Promise<ArrowBlockWriter> {
  return (await createUploadSession(t, opts)).openArrowWriter(opts);
}


/** A stream writer on a new stream session: `write(rows)`, rows visible after each flush, `close()`. */
export async function openTableStreamWriter(t: TableLike, opts: TableStreamWriterOptions = {}): Promise<StreamRecordWriter> {
  return new StreamRecordWriter(await TableStreamSession.create(t.context, tableRef(t), opts), opts);
}

export async function openTableUpsertWriter(t: TableLike, opts: TableUpsertWriterOptions = {}): Promise<UpsertWriter> {
  return new UpsertWriter(await TableUpsertSession.create(t.context, tableRef(t), opts), opts);
}
