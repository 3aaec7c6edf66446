// SQL results: typed rows from a task's CSV result, and SqlError from a failed task's text.
import { SqlError, type OdpsErrorInit } from '../errors.js';
import { parseErrorBody } from '../http/error-body.js';
import type { TaskResult } from '../resources/instance-xml.js';
import type { Column } from '../types/index.js';
import { parseCsv } from './csv.js';
import { castResultValue, resultTypes, type CastOptions } from './result-values.js';

export type Row = unknown[];

export interface SqlResult {
  columns: Column[];
  /** Rows in the value model (design §4), column order. */
  rows: Row[];
  /** The server cut the inline result short (10 000-row cap): use the instance tunnel for all rows. */
  truncated: boolean;
}

/** Build typed rows from one task result (CSV with a header row). Non-SELECT tasks give no columns. */
export function sqlResultFromTask(task: TaskResult, options: CastOptions = {}): SqlResult {
  const truncated = (task.descriptor?.selectResultStatus ?? '').toUpperCase() === 'TRUNCATED';
  const isSelect = task.descriptor ? task.descriptor.isSelect : task.text.trim() !== '';
  if (!isSelect) return { columns: [], rows: [], truncated };
  const table = parseCsv(task.text);
  const header = (table.shift() ?? []).map((h) => h ?? '');
  const described = task.descriptor?.columns ?? [];
  const columns: Column[] = described.length > 0 ? described.map((c) => ({ name: c.name, type: c.type.toLowerCase() })) : header.map((name) => ({ name, type: 'string' }));
  const types = resultTypes(columns.map((c) => c.type));
  const rows = table.map((fields) => columns.map((_, i) => castResultValue(fields[i] ?? null, types[i] as (typeof types)[number], options)));
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
