// Instance response bodies: status, task statuses, results, progress, summaries (rest.md §4.2-4.5).
import type { InstanceRecord, TaskRecord } from '../instances/instance-store.js';
import { formatResultCsv } from '../instances/result-csv.js';
import { formatHttpDate } from '../time-format.js';
import { TIME_ZONE_SETTING } from '../../engine/time-zone-hint.js';
import { cdataEl, el, hasInvalidXmlChars, type Raw } from '../xml.js';

export function instanceHeaders(inst: InstanceRecord): Record<string, string> {
  return {
    'x-odps-owner': inst.owner,
    'x-odps-start-time': formatHttpDate(inst.startTime),
    'x-odps-end-time': inst.endTime ? formatHttpDate(inst.endTime) : '',
  };
}

export function statusElement(inst: InstanceRecord): Raw {
  return el('Instance', el('Status', inst.status));
}

function taskStatusElement(task: TaskRecord): Raw {
  return el(
    'Task',
    [
      el('Name', task.spec.name),
      el('StartTime', task.startTime ? formatHttpDate(task.startTime) : ''),
      el('EndTime', task.endTime ? formatHttpDate(task.endTime) : ''),
      el('Status', task.status),
      el('Histories', []),
    ],
    { Type: task.spec.type },
  );
}

export function taskStatusDocument(inst: InstanceRecord): Raw {
  return el('Instance', [el('Status', inst.status), el('Tasks', inst.tasks.map(taskStatusElement))]);
}

/** Result text (or CSV bytes) and descriptor of one task; DESC/SHOW-style statements answer their console text. */
function taskResult(task: TaskRecord, maxRows: number, projectZone: string): { text: string | Buffer; descriptor?: string } {
  if (task.status === 'Failed') return { text: task.error ?? '' };
  if (task.text !== undefined) return { text: task.text };
  const result = task.result;
  if (!result) return { text: '' };
  if (result.text !== undefined) return { text: result.text };
  if (!result.isSelect) return { text: '' };
  const truncated = result.rows.length > maxRows;
  const rows = truncated ? result.rows.slice(0, maxRows) : result.rows;
  const descriptor = JSON.stringify({
    IsSelect: true,
    SelectResultStatus: truncated ? 'TRUNCATED' : 'YES',
    Schema: { Columns: result.columns.map((c) => ({ Name: c.name, Type: c.type })) },
  });
  // The session's `odps.sql.timezone` (checked when the task ran) wins over the project's zone.
  const zone = task.spec.settings[TIME_ZONE_SETTING] || projectZone;
  return { text: formatResultCsv(result.columns, rows, zone), descriptor };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The bytes as text when they are UTF-8, else undefined. */
function utf8Text(bytes: Buffer): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

function resultElement(result: string | Buffer): Raw {
  // What XML text cannot carry (control characters, bytes that are not UTF-8, e.g. BINARY values)
  // travels base64 (rest.md §4.4 `Transform="Base64"`), and so does a carriage return: XML parsers
  // turn CR and CRLF into LF, even inside CDATA.
  const text = typeof result === 'string' ? result : utf8Text(result);
  if (text === undefined || hasInvalidXmlChars(text) || text.includes('\r')) {
    const bytes = typeof result === 'string' ? Buffer.from(result, 'utf8') : result;
    return el('Result', bytes.toString('base64'), { Format: 'text', Transform: 'Base64' });
  }
  return cdataEl('Result', text, { Format: 'text' });
}

export function resultDocument(inst: InstanceRecord, maxRows: number, projectZone = 'UTC'): Raw {
  return el(
    'Instance',
    el(
      'Tasks',
      inst.tasks.map((task) => {
        const { text, descriptor } = taskResult(task, maxRows, projectZone);
        return el(
          'Task',
          [el('Name', task.spec.name), el('Status', task.status), resultElement(text), descriptor ? cdataEl('ResultDescriptor', descriptor) : null],
          { Type: task.spec.type },
        );
      }),
    ),
  );
}

/** Rows a task produced: the kept snapshot's count when the engine holds the whole result. */
function resultCount(task: TaskRecord): number {
  return task.result?.snapshot?.count ?? task.result?.rows.length ?? 0;
}

export function progressDocument(task: TaskRecord | undefined): Raw {
  if (!task || task.status === 'Waiting') return el('Progress', []);
  const done = task.status !== 'Running';
  const records = resultCount(task);
  return el(
    'Progress',
    el(
      'Stage',
      [
        el('Status', done ? (task.status === 'Success' ? 'TERMINATED' : task.status.toUpperCase()) : 'RUNNING'),
        el('BackupWorkers', 0),
        el('TerminatedWorkers', done ? 1 : 0),
        el('RunningWorkers', done ? 0 : 1),
        el('TotalWorkers', 1),
        el('InputRecords', records),
        el('OutputRecords', records),
        el('FinishedPercentage', done ? 100 : 0),
      ],
      // Stage ids as the service names them in progress (PyODPS docs: `M1_Stg1_job0:0/1/1[100%]`).
      { ID: 'M1_Stg1_job0' },
    ),
  );
}

export function summaryJson(task: TaskRecord | undefined): unknown {
  const rows = task ? resultCount(task) : 0;
  const summary = task ? `Task ${task.spec.name}: ${task.status}; ${rows} output record(s).` : '';
  return {
    Instance: {
      // `Cost` is what PyODPS `get_task_cost` reads (CPU, Memory, Input); the emulator measures none of them.
      JsonSummary: JSON.stringify({ stages: task ? [{ name: 'M1_Stg1', status: task.status, outputRecords: rows }] : [], ...(task ? { Cost: { CPU: 0, Memory: 0, Input: 0 } } : {}) }),
      Summary: summary,
    },
  };
}

export function detailJson(inst: InstanceRecord, task: TaskRecord | undefined): unknown {
  return {
    Instance: {
      Name: inst.id,
      Status: inst.status,
      Tasks: (task ? [task] : inst.tasks).map((t) => ({
        Name: t.spec.name,
        Type: 'SQL',
        Status: t.status,
        StartTime: t.startTime ? formatHttpDate(t.startTime) : '',
        EndTime: t.endTime ? formatHttpDate(t.endTime) : '',
      })),
    },
  };
}

export function instanceListElement(inst: InstanceRecord): Raw {
  return el('Instance', [
    el('Name', inst.id),
    el('Owner', inst.owner),
    el('StartTime', formatHttpDate(inst.startTime)),
    el('EndTime', inst.endTime ? formatHttpDate(inst.endTime) : ''),
    el('Status', inst.status),
  ]);
}
