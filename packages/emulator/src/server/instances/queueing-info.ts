// Queueing info of instances (`GET …/instances/<id>?cached`, `GET /projects/<p>/cachedinstances`).
import type { InstanceRecord } from './instance-store.js';

/** `yyyy-MM-dd HH:mm:ss Z`, the layout Java `InstanceQueueingInfo.getStartTime` parses first. */
export function queueingTime(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/**
 * One queueing-info object with the keys both SDKs read (Java `Instance.InstanceQueueingInfo`, PyODPS
 * `Instance.InstanceQueueingInfo`). The SDKs disagree on the progress key (Java `instanceProgress`,
 * PyODPS `instanceProcess`); the emulator sends Java's.
 */
export function queueingInfoJson(inst: InstanceRecord): Record<string, unknown> {
  const task = inst.tasks.find((t) => t.status === 'Running') ?? inst.tasks[inst.tasks.length - 1];
  const done = inst.tasks.filter((t) => t.status !== 'Waiting' && t.status !== 'Running').length;
  return {
    instanceId: inst.id,
    instancePriority: inst.job.priority,
    instanceProgress: inst.tasks.length === 0 ? 1 : done / inst.tasks.length,
    jobName: inst.job.name ?? '',
    projectName: inst.project,
    skynetId: '',
    startTime: queueingTime(inst.startTime),
    taskType: 'SQL',
    taskName: task?.spec.name ?? '',
    userAccount: inst.owner,
    status: inst.status,
  };
}
