// Quota answer of one task (`GET …/instances/<id>?instancequota&taskname=<t>`, PyODPS `get_task_quota`).
import { DEFAULT_QUOTA } from '../routes/quotas.js';
import type { InstanceRecord, TaskRecord } from './instance-store.js';

/**
 * No SDK parses this JSON (PyODPS returns it as loaded), so the shape is the emulator's own: the quota
 * the task ran on (its `odps.task.wlm.quota` hint, else the project default) and the task status.
 */
export function taskQuotaJson(inst: InstanceRecord, task: TaskRecord | undefined): Record<string, unknown> {
  if (!task) return {};
  const quota = task.spec.settings['odps.task.wlm.quota'] || DEFAULT_QUOTA;
  return { instanceId: inst.id, taskName: task.spec.name, quotaName: quota, status: task.status };
}
