// Parses the `Instance › Job` XML a client submits (rest.md §4.1) into a job description.
import { EmulatorHttpError } from '../errors.js';
import { parseXmlBody, textOf } from '../xml.js';

export interface SqlTaskSpec {
  name: string;
  /** `SQL` runs the query; `SQLCost` only estimates it (rest.md §4.1 task element names). */
  type: 'SQL' | 'SQLCost';
  query: string;
  /** The `settings` property (a JSON object serialized to a string), values as strings. */
  settings: Record<string, string>;
  /** All Config properties as sent (uuid, settings, aliases, type ...). */
  properties: Record<string, string>;
}

export interface JobSpec {
  name?: string;
  comment?: string;
  priority: number;
  guid?: string;
  tasks: SqlTaskSpec[];
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function bad(message: string): EmulatorHttpError {
  return new EmulatorHttpError(400, 'InvalidArgument', `ODPS-0420411:Invalid argument - ${message}`);
}

function parseSettings(text: string | undefined, taskName: string): Record<string, string> {
  if (text === undefined || text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw bad(`task ${taskName}: the settings property is not a JSON object`);
  }
  const obj = asRecord(parsed);
  if (!obj) throw bad(`task ${taskName}: the settings property is not a JSON object`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  return out;
}

export function parseJobXml(body: string): JobSpec {
  const doc = parseXmlBody(body);
  const job = asRecord(asRecord(doc['Instance'])?.['Job']);
  if (!job) throw bad('the body has no Instance/Job element');
  const tasksNode = asRecord(job['Tasks']);
  if (!tasksNode) throw bad('the job has no Tasks');
  const otherTypes = Object.keys(tasksNode).filter((k) => k !== 'SQL' && k !== 'SQLCost' && !k.startsWith('@_') && k !== '#text');
  if (otherTypes.length > 0) {
    throw new EmulatorHttpError(400, 'InstanceTypeNotSupported', `The emulator runs only SQL and SQLCost tasks; got ${otherTypes.join(', ')}.`);
  }
  const typed = (type: SqlTaskSpec['type']) => ((tasksNode[type] as unknown[] | undefined) ?? []).map((node) => ({ type, node }));
  const sqlNodes = [...typed('SQL'), ...typed('SQLCost')];
  if (sqlNodes.length === 0) throw bad('the job has no SQL task');
  const tasks = sqlNodes.map(({ type, node }, i): SqlTaskSpec => {
    const task = asRecord(node) ?? {};
    const anonymous = type === 'SQL' ? 'AnonymousSQLTask' : 'AnonymousSQLCostTask';
    const name = textOf(task['Name'])?.trim() || (i === 0 ? anonymous : `${anonymous}${i}`);
    const query = textOf(task['Query']) ?? '';
    if (query.trim() === '') throw bad(`task ${name} has an empty Query`);
    const properties: Record<string, string> = {};
    const props = (asRecord(task['Config'])?.['Property'] as unknown[] | undefined) ?? [];
    for (const p of props) {
      const rec = asRecord(p);
      const key = textOf(rec?.['Name']);
      if (key) properties[key] = textOf(rec?.['Value']) ?? '';
    }
    return { name, type, query, settings: parseSettings(properties['settings'], name), properties };
  });
  const names = new Set<string>();
  for (const t of tasks) {
    if (names.has(t.name)) throw bad(`duplicate task name ${t.name}`);
    names.add(t.name);
  }
  const priorityText = textOf(job['Priority'])?.trim();
  const priority = priorityText ? Number(priorityText) : 9;
  if (!Number.isInteger(priority) || priority < 0) throw bad(`Priority must be a non-negative integer, got '${priorityText ?? ''}'`);
  const name = textOf(job['Name'])?.trim();
  const comment = textOf(job['Comment']);
  const guid = textOf(job['Guid'])?.trim();
  return {
    ...(name ? { name } : {}),
    ...(comment ? { comment } : {}),
    priority,
    ...(guid ? { guid } : {}),
    tasks,
  };
}
