// SQL results: typed rows from a task's CSV result, and SqlError from a failed task's text.
import { SqlError, type OdpsErrorInit } from '../errors.js';
import { parseErrorBody } from '../http/error-body.js';
import type { TaskResult } from '../resources/instance-xml.js';
import type { Column } from '../types/index.js';
import { parseCsv } from './csv.js';
import { castResultValue, resultTypes, type CastOptions } from './result-values.js';

// One row type for SQL results and tunnel reads, so both document (and compose) as the same thing.
import type { Row } from '../tunnel/records/record-decoder.js';
export type { Row };

export interface SqlResult<T extends Row = Row> {
  columns: Column[];
  /** Rows in the value model, column order. */
  rows: T[];
  /** The server cut the inline result short (10 000-row cap): use the instance tunnel for all rows. */
  truncated: boolean;
}

export interface SqlResultOptions extends CastOptions {
  /** STRING values as Uint8Array (raw bytes, for non-UTF-8 data), as the tunnel readers' option. */
  binaryStrings?: boolean;
}

/**
 * Build typed rows from one task result (CSV with a header row). Non-SELECT tasks give no columns.
 * A base64-carried result is parsed over its bytes (each byte one latin1 character: the CSV's
 * structure is ASCII), so BINARY fields are the exact bytes and text is decoded as UTF-8 per field.
 */
export function sqlResultFromTask(task: TaskResult, opts: SqlResultOptions = {}): SqlResult {
  const truncated = (task.descriptor?.selectResultStatus ?? '').toUpperCase() === 'TRUNCATED';
  const isSelect = task.descriptor ? task.descriptor.isSelect : task.text.trim() !== '';
  if (!isSelect) return { columns: [], rows: [], truncated };
  const raw = task.bytes !== undefined;
  const table = parseCsv(raw ? Buffer.from(task.bytes!.buffer, task.bytes!.byteOffset, task.bytes!.byteLength).toString('latin1') : task.text);
  const text = (f: string): string => (raw ? Buffer.from(f, 'latin1').toString('utf8') : f);
  const bytes = (f: string): Uint8Array => new Uint8Array(Buffer.from(f, raw ? 'latin1' : 'utf8'));
  const header = (table.shift() ?? []).map((h) => (h === null ? '' : text(h)));
  const described = task.descriptor?.columns ?? [];
  const columns: Column[] = described.length > 0 ? described.map((c) => ({ name: c.name, type: c.type.toLowerCase() })) : header.map((name) => ({ name, type: 'string' }));
  const types = resultTypes(columns.map((c) => c.type));
  const asBytes = types.map((t) => t.kind === 'binary' || (opts.binaryStrings === true && t.kind === 'string'));
  const cast: CastOptions = opts.timeZone ? { timeZone: opts.timeZone } : {};
  const rows = table.map((fields) => columns.map((_, i) => {
    const f = fields[i] ?? null;
    if (f === null) return null;
    return asBytes[i] ? bytes(f) : castResultValue(text(f), types[i] as (typeof types)[number], cast);
  }));
  return { columns, rows, truncated };
}

const ODPS_CODE = /^(ODPS-\d{7})/;

/** The SqlError for a failed task: its result is either an XML/JSON error document or `ODPS-xxxxxxx:...`. */
export function sqlErrorFromTask(task: TaskResult | undefined, instanceId: string, fallbackStatus: string): SqlError {
  const text = task?.text.trim() ?? '';
  const init: OdpsErrorInit & { instanceId: string; taskName?: string; resultText?: string } = { instanceId, code: 'SqlTaskFailed' };
  if (task) init.taskName = task.name;
  if (text) init.resultText = text;
  let message = text;
  const parsed = text.startsWith('<') || text.startsWith('{') ? parseErrorBody(text) : undefined;
  if (parsed) {
    message = parsed.message ?? parsed.code ?? text;
    if (parsed.code) init.code = parsed.code;
    if (parsed.requestId) init.requestId = parsed.requestId;
  }
  const odpsCode = ODPS_CODE.exec(message)?.[1] ?? (parsed?.code ? ODPS_CODE.exec(parsed.code)?.[1] : undefined);
  if (odpsCode) {
    init.odpsCode = odpsCode;
    if (init.code === 'SqlTaskFailed' || init.code?.startsWith('ODPS-')) init.code = odpsCode;
  }
  if (!message) message = `task ${task?.name ?? '?'} of instance ${instanceId} ended ${fallbackStatus}`;
  return new SqlError(message, init);
}
