// Queueing info of instances: `GET …/instances/<id>?cached` (one JSON object) and `GET /projects/<p>/cachedinstances`.
import { OdpsError } from '../errors.js';
import { MAX_XML_BYTES } from '../http/xml.js';
import type { InstanceStatus } from './instance-xml.js';

/** Where an instance is in the scheduler's queue (Java `Instance.InstanceQueueingInfo`, PyODPS `Instance.InstanceQueueingInfo`). */
export interface InstanceQueueingInfo {
  instanceId?: string;
  priority?: number;
  /** 0..1 as the service reports it. */
  progress?: number;
  jobName?: string;
  project?: string;
  skynetId?: string;
  startTime?: Date;
  taskType?: string;
  taskName?: string;
  userAccount?: string;
  status?: InstanceStatus;
  /** The object as sent, for keys not modelled here. */
  raw: Record<string, unknown>;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

function num(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** `yyyy-MM-dd HH:mm:ss[.ffffff] ±hhmm` (the layouts Java parses), else any Date.parse-able text. */
function parseStartTime(text: string | undefined): Date | undefined {
  if (!text) return undefined;
  const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(\.\d+)? ?([+-])(\d\d):?(\d\d)$/.exec(text.trim());
  const iso = m ? `${m[1]}T${m[2]}${m[3] ? m[3].slice(0, 4) : ''}${m[4]}${m[5]}:${m[6]}` : text;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/** One queueing-info JSON object. PyODPS reads the progress as `instanceProcess`, Java as `instanceProgress`: either works. */
export function parseQueueingInfo(value: unknown): InstanceQueueingInfo {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new OdpsError('queueing info is not a JSON object', { code: 'InvalidResponse' });
  }
  const o = value as Record<string, unknown>;
  const out: InstanceQueueingInfo = { raw: o };
  const set = <K extends keyof InstanceQueueingInfo>(k: K, v: InstanceQueueingInfo[K] | undefined): void => {
    if (v !== undefined && v !== '') out[k] = v;
  };
  set('instanceId', str(o['instanceId']));
  set('priority', num(o['instancePriority']));
  set('progress', num(o['instanceProgress'] ?? o['instanceProcess']));
  set('jobName', str(o['jobName']));
  set('project', str(o['projectName']));
  set('skynetId', str(o['skynetId']));
  set('startTime', parseStartTime(str(o['startTime'])));
  set('taskType', str(o['taskType']));
  set('taskName', str(o['taskName']));
  set('userAccount', str(o['userAccount']));
  set('status', str(o['status']) as InstanceStatus | undefined);
  return out;
}

/** JSON text (object or array) of a queueing answer; a clear error when it is not JSON. */
export function parseQueueingJson(text: string, what: string): unknown {
  if (text.length > MAX_XML_BYTES) throw new OdpsError(`${what} is too large`, { code: 'InvalidResponse' });
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new OdpsError(`${what} is not valid JSON`, { code: 'InvalidJson', cause: err });
  }
}
