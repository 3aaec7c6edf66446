// What a (finished) instance ran and cost: its submitted job (`?source`), task cost and quota answers.
import { OdpsError } from '../errors.js';
import { childText, MAX_XML_BYTES, xmlChild, xmlChildren, type XmlNode } from '../http/xml.js';
import type { CallOptions, OdpsContext } from './context.js';
import { requestXml } from './request.js';

/** One task of the submitted job. */
export interface SourceTask {
  name: string;
  /** Element name: `SQL`, `SQLCost`, `SQLRT`, `SQLPlan`, `Merge` ... */
  type: string;
  /** The task's query text (SQL tasks). */
  query?: string;
  /** Decoded `settings` config property (hints such as `odps.task.wlm.quota`). */
  settings: Record<string, string>;
}

export interface InstanceSource {
  name?: string;
  priority?: number;
  tasks: SourceTask[];
}

/** PyODPS `Instance.TaskCost` (from the task summary's `Cost`). */
export interface TaskCost {
  /** CPU cost (`Cost.CPU`, in 1/100 core × seconds). */
  cpuCost?: number;
  /** Memory cost (`Cost.Memory`, MB × seconds). */
  memoryCost?: number;
  /** Bytes read (`Cost.Input`). */
  inputSize?: number;
}

const TASK_TYPES = ['SQL', 'SQLCost', 'SQLRT', 'SQLPlan', 'Merge', 'MaxFrame', 'AlgoTask', 'LOT', 'Graph'];

function settingsOf(task: XmlNode): Record<string, string> {
  const prop = xmlChildren(xmlChild(task, 'Config'), 'Property').find((p) => childText(p, 'Name') === 'settings');
  const text = prop ? childText(prop, 'Value') : undefined;
  if (!text) return {};
  try {
    const v = JSON.parse(text) as unknown;
    if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, String(x)]));
  } catch {
    return {};
  }
}

/**
 * `GET …/instances/<id>?source`: the job as submitted, root `Job` (PyODPS `Instance._get_job`,
 * Java `Instance.getJob`); an `Instance › Job` wrapper is accepted too.
 */
export async function fetchSource(ctx: OdpsContext, path: string[], signal: AbortSignal | undefined): Promise<InstanceSource> {
  const { doc } = await requestXml(ctx, { method: 'GET', path, query: { source: null }, signal });
  const job = xmlChild(doc, 'Job') ?? xmlChild(xmlChild(doc, 'Instance'), 'Job');
  if (!job) throw new OdpsError(`instance source of ${path.at(-1) ?? ''} has no Job element`, { code: 'InvalidResponse' });
  const tasksNode = xmlChild(job, 'Tasks') ?? {};
  const tasks: SourceTask[] = [];
  for (const type of TASK_TYPES) {
    for (const t of xmlChildren(tasksNode, type)) {
      const task: SourceTask = { name: childText(t, 'Name') ?? '', type, settings: settingsOf(t) };
      const q = childText(t, 'Query');
      if (q !== undefined) task.query = q;
      tasks.push(task);
    }
  }
  const out: InstanceSource = { tasks };
  const name = childText(job, 'Name');
  if (name) out.name = name;
  const pr = Number(childText(job, 'Priority'));
  if (childText(job, 'Priority') && Number.isFinite(pr)) out.priority = pr;
  return out;
}

const num = (v: unknown): number | undefined => {
  if (v === undefined || v === null || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
};

/** PyODPS `get_task_cost`: the summary JSON's `Cost` object; undefined when the summary has none. */
export function taskCostFromSummary(json: unknown): TaskCost | undefined {
  const cost = json && typeof json === 'object' ? (json as Record<string, unknown>)['Cost'] : undefined;
  if (!cost || typeof cost !== 'object') return undefined;
  const c = cost as Record<string, unknown>;
  const out: TaskCost = {};
  const cpu = num(c['CPU']);
  const mem = num(c['Memory']);
  const input = num(c['Input']);
  if (cpu !== undefined) out.cpuCost = cpu;
  if (mem !== undefined) out.memoryCost = mem;
  if (input !== undefined) out.inputSize = input;
  return out;
}

/** `?instancequota&taskname=<t>` (PyODPS `get_task_quota`): the service's JSON as is; `{}` when empty. */
export async function fetchTaskQuota(ctx: OdpsContext, path: string[], taskName: string, options: CallOptions): Promise<Record<string, unknown>> {
  const res = await ctx.transport.request({ method: 'GET', path, query: { instancequota: null, taskname: taskName }, signal: options.signal });
  const text = (await res.text({ maxBytes: MAX_XML_BYTES })).trim();
  if (text === '') return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new OdpsError(`task quota of ${path.at(-1) ?? ''} is not JSON`, { code: 'InvalidResponse' });
  }
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
