// Instance XML: the SQL job body we submit, and the task status/result documents we read.
import { OdpsArgumentError } from '../errors.js';
import { buildXml, childText, xmlAttr, xmlChild, xmlChildren, type XmlNode } from '../http/xml.js';
import { parseTime } from './request.js';

export interface SqlJob {
  sql: string;
  settings: Record<string, string>;
  uuid: string;
  taskName: string;
  priority: number;
  name?: string;
  comment?: string;
  guid?: string;
  /** Task element: `SQL` (default) runs the query, `SQLCost` only estimates it. */
  taskType?: 'SQL' | 'SQLCost';
}

/** CDATA sections for text that may itself contain `]]>` (split into adjacent sections). */
export function cdata(text: string): { __cdata: string[] } {
  const parts = text.split(']]>');
  return { __cdata: parts.map((p, i) => (i > 0 ? '>' : '') + p + (i < parts.length - 1 ? ']]' : '')) };
}

/** `Instance › Job › [Name] [Comment] Priority [Guid] Tasks › SQL ... DAG › RunMode`. */
export function buildSqlJobXml(job: SqlJob): string {
  if (!Number.isInteger(job.priority) || job.priority < 0) throw new OdpsArgumentError(`priority must be a non-negative integer, got ${job.priority}`);
  let query = job.sql.trim();
  if (query === '') throw new OdpsArgumentError('SQL text is empty');
  if (!query.endsWith(';')) query += ';';
  const jobNode: XmlNode = {};
  if (job.name) jobNode['Name'] = job.name;
  if (job.comment) jobNode['Comment'] = job.comment;
  jobNode['Priority'] = String(job.priority);
  if (job.guid) jobNode['Guid'] = job.guid;
  jobNode['Tasks'] = {
    [job.taskType ?? 'SQL']: {
      Name: job.taskName,
      Config: {
        Property: [
          { Name: 'uuid', Value: job.uuid },
          { Name: 'settings', Value: JSON.stringify(job.settings) },
        ],
      },
      Query: cdata(query),
    },
  };
  jobNode['DAG'] = { RunMode: 'Sequence' };
  return buildXml({ Instance: { Job: jobNode } });
}

export type InstanceStatus = 'Running' | 'Suspended' | 'Terminated';
export type TaskStatusValue = 'Waiting' | 'Running' | 'Success' | 'Failed' | 'Suspended' | 'Cancelled' | (string & {});

export interface TaskStatus {
  name: string;
  type?: string;
  status: TaskStatusValue;
  startTime?: Date;
  endTime?: Date;
}

export interface ResultDescriptor {
  isSelect: boolean;
  selectResultStatus?: string;
  columns: { name: string; type: string }[];
}

export interface TaskResult {
  name: string;
  type?: string;
  status?: TaskStatusValue;
  /** Result text (Base64 already decoded): CSV for SELECTs, the error text for failures. */
  text: string;
  /**
   * The decoded bytes when the result came base64-encoded (Transform="Base64"): the CSV may then hold
   * BINARY values and STRING bytes that are not UTF-8, which `text` (UTF-8 decoded) cannot keep.
   */
  bytes?: Uint8Array;
  format?: string;
  descriptor?: ResultDescriptor;
}

/** Normalize 'SUCCESS' / 'success' to the documented capitalization. */
export function normalizeTaskStatus(s: string | undefined): TaskStatusValue {
  const known = ['Waiting', 'Running', 'Success', 'Failed', 'Suspended', 'Cancelled'];
  return known.find((k) => k.toLowerCase() === (s ?? '').toLowerCase()) ?? (s ?? '');
}

export function parseTaskStatuses(doc: XmlNode): TaskStatus[] {
  const tasks = xmlChild(xmlChild(doc, 'Instance'), 'Tasks');
  return xmlChildren(tasks, 'Task').map((t) => {
    const out: TaskStatus = { name: childText(t, 'Name') ?? '', status: normalizeTaskStatus(childText(t, 'Status')) };
    const type = xmlAttr(t, 'Type');
    if (type) out.type = type;
    const st = parseTime(childText(t, 'StartTime'));
    if (st) out.startTime = st;
    const et = parseTime(childText(t, 'EndTime'));
    if (et) out.endTime = et;
    return out;
  });
}

function parseDescriptor(text: string | undefined): ResultDescriptor | undefined {
  if (!text || text.trim() === '') return undefined;
  try {
    const j = JSON.parse(text) as { IsSelect?: unknown; SelectResultStatus?: unknown; Schema?: { Columns?: { Name?: unknown; Type?: unknown }[] } };
    const out: ResultDescriptor = {
      isSelect: j.IsSelect === true || String(j.IsSelect).toLowerCase() === 'true',
      columns: (j.Schema?.Columns ?? []).map((c) => ({ name: String(c.Name ?? ''), type: String(c.Type ?? 'string') })),
    };
    if (typeof j.SelectResultStatus === 'string') out.selectResultStatus = j.SelectResultStatus;
    return out;
  } catch {
    return undefined;
  }
}

export function parseTaskResults(doc: XmlNode): TaskResult[] {
  const tasks = xmlChild(xmlChild(doc, 'Instance'), 'Tasks');
  return xmlChildren(tasks, 'Task').map((t) => {
    const result = t['Result'];
    let text = childText(t, 'Result') ?? '';
    let bytes: Buffer | undefined;
    if ((xmlAttr(result, 'Transform') ?? '').toLowerCase() === 'base64') {
      bytes = Buffer.from(text, 'base64');
      text = bytes.toString('utf8');
    }
    const out: TaskResult = { name: childText(t, 'Name') ?? '', text };
    if (bytes) out.bytes = bytes;
    const type = xmlAttr(t, 'Type');
    if (type) out.type = type;
    const status = childText(t, 'Status');
    if (status) out.status = normalizeTaskStatus(status);
    const format = xmlAttr(result, 'Format');
    if (format) out.format = format;
    const d = parseDescriptor(childText(t, 'ResultDescriptor'));
    if (d) out.descriptor = d;
    return out;
  });
}

export interface Stage {
  id: string;
  status?: string;
  backupWorkers?: number;
  terminatedWorkers?: number;
  runningWorkers?: number;
  totalWorkers?: number;
  inputRecords?: number;
  outputRecords?: number;
  finishedPercentage?: number;
}

export function parseProgress(doc: XmlNode): Stage[] {
  return xmlChildren(xmlChild(doc, 'Progress'), 'Stage').map((s) => {
    const out: Stage = { id: xmlAttr(s, 'ID') ?? childText(s, 'Name') ?? '' };
    const status = childText(s, 'Status');
    if (status) out.status = status;
    const nums: [keyof Stage, string][] = [
      ['backupWorkers', 'BackupWorkers'], ['terminatedWorkers', 'TerminatedWorkers'], ['runningWorkers', 'RunningWorkers'],
      ['totalWorkers', 'TotalWorkers'], ['inputRecords', 'InputRecords'], ['outputRecords', 'OutputRecords'], ['finishedPercentage', 'FinishedPercentage'],
    ];
    for (const [k, el] of nums) {
      const v = childText(s, el);
      if (v !== undefined && v !== '' && Number.isFinite(Number(v))) (out as unknown as Record<string, number>)[k] = Number(v);
    }
    return out;
  });
}
