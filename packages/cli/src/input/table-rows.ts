// Input files → rows in the table's data-column order (value model), for upload.
import { closeSync, createReadStream, fstatSync, openSync } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { RecordBatchReader, type RecordBatch } from 'apache-arrow';
import { arrowBatchToRows, parseType, type OdpsType } from '@odps-ts/odps-client';
import { LocalFileError, UsageError } from '../errors.js';
import type { BinaryEncoding } from '../output/value-text.js';
import { CsvSyntaxError, readCsv } from './csv-reader.js';
import { NdjsonSyntaxError, readNdjson } from './ndjson-reader.js';
import { InputValueError, parseCell, parseValue } from './value-parse.js';

export interface TargetColumn {
  name: string;
  type: string;
}

export interface InputFile {
  /** Bytes read so far (for the progress bar). */
  readonly bytesRead: number;
  /** Size of the file, when it is a regular file. */
  readonly size?: number;
  readonly stream: Readable;
}

/** Counts bytes as they pass (a 'data' listener would switch the source to flowing mode and lose data). */
function counted(source: Readable, wrap: (err: Error) => Error): { stream: Readable; bytes: () => number } {
  let n = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      n += chunk.length;
      done(null, chunk);
    },
  });
  source.on('error', (err) => counter.destroy(wrap(err)));
  return { stream: source.pipe(counter), bytes: () => n };
}

export function openInput(path: string, stdin: Readable): InputFile {
  if (path === '-') {
    const c = counted(stdin, (err) => LocalFileError.from('read', 'stdin', err));
    return { stream: c.stream, get bytesRead() { return c.bytes(); } };
  }
  // Opened now, so a missing, unreadable or directory input fails before a session is created.
  let fd: number;
  let size: number | undefined;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw LocalFileError.from('read', path, err);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new LocalFileError('read', path, 'it is a directory');
    if (st.isFile()) size = st.size;
  } catch (err) {
    closeSync(fd);
    throw LocalFileError.from('read', path, err);
  }
  const c = counted(createReadStream(path, { fd }), (err) => LocalFileError.from('read', path, err));
  return { stream: c.stream, ...(size !== undefined ? { size } : {}), get bytesRead() { return c.bytes(); } };
}

/** Map input field names onto table columns (case-insensitive); unknown names are a usage error. */
function indexColumns(names: readonly string[], columns: readonly TargetColumn[], where: string): number[] {
  const byName = new Map(columns.map((c, i) => [c.name.toLowerCase(), i]));
  return names.map((n) => {
    const i = byName.get(n.toLowerCase());
    if (i === undefined) throw new UsageError(`${where}: column ${JSON.stringify(n)} is not a data column of the table (columns: ${columns.map((c) => c.name).join(', ')})`);
    return i;
  });
}

function wrap(err: unknown, where: string): never {
  if (err instanceof InputValueError || err instanceof CsvSyntaxError || err instanceof NdjsonSyntaxError) throw new UsageError(`${where}: ${err.message}`);
  throw err;
}

export async function* csvRows(input: Readable, columns: readonly TargetColumn[], binary: BinaryEncoding, file: string, delimiter = ','): AsyncGenerator<unknown[]> {
  const types: OdpsType[] = columns.map((c) => parseType(c.type));
  let targets: number[] | undefined;
  let line = 0;
  try {
    for await (const rec of readCsv(input, delimiter)) {
      line = rec.line;
      if (!targets) {
        targets = indexColumns(rec.record.map((h) => h ?? ''), columns, `${file} header`);
        continue;
      }
      if (rec.record.length !== targets.length) throw new UsageError(`${file} line ${rec.line}: ${rec.record.length} fields, the header has ${targets.length}`);
      const row = new Array<unknown>(columns.length).fill(null);
      rec.record.forEach((cell, k) => {
        const i = targets![k] as number;
        try {
          row[i] = parseCell(cell, types[i] as OdpsType, binary);
        } catch (err) {
          wrap(err, `${file} line ${rec.line}, column ${columns[i]?.name}`);
        }
      });
      yield row;
    }
  } catch (err) {
    wrap(err, `${file} line ${line}`);
  }
}

export async function* ndjsonRows(input: Readable, columns: readonly TargetColumn[], binary: BinaryEncoding, file: string): AsyncGenerator<unknown[]> {
  const types: OdpsType[] = columns.map((c) => parseType(c.type));
  const byName = new Map(columns.map((c, i) => [c.name.toLowerCase(), i]));
  try {
    for await (const { object, line } of readNdjson(input)) {
      const row = new Array<unknown>(columns.length).fill(null);
      for (const [k, v] of Object.entries(object)) {
        const i = byName.get(k.toLowerCase());
        if (i === undefined) throw new UsageError(`${file} line ${line}: field ${JSON.stringify(k)} is not a data column of the table`);
        try {
          row[i] = parseValue(v, types[i] as OdpsType, binary);
        } catch (err) {
          wrap(err, `${file} line ${line}, column ${columns[i]?.name}`);
        }
      }
      yield row;
    }
  } catch (err) {
    wrap(err, file);
  }
}

/** Arrow IPC (file or stream format): batch fields are matched to table columns by name. */
export async function* arrowRows(input: Readable, columns: readonly TargetColumn[], file: string): AsyncGenerator<unknown[]> {
  let reader: AsyncIterable<RecordBatch>;
  try {
    reader = (await RecordBatchReader.from(input)) as unknown as AsyncIterable<RecordBatch>;
  } catch (err) {
    throw new UsageError(`${file}: not an Arrow IPC file (${(err as Error).message})`);
  }
  for await (const batch of reader) {
    const targets = indexColumns(batch.schema.fields.map((f) => f.name), columns, file);
    const rows = arrowBatchToRows(batch, targets.map((i) => columns[i] as TargetColumn));
    for (const r of rows) {
      const row = new Array<unknown>(columns.length).fill(null);
      targets.forEach((i, k) => (row[i] = r[k]));
      yield row;
    }
  }
}
