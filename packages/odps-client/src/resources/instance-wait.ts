// Waiting for an instance: blocking status polls, progress callbacks, timeout and abort handling.
import { WaitTimeoutError } from '../errors.js';
import { sleep } from '../http/sleep.js';
import type { InstanceStatus, Stage, TaskStatus } from './instance-xml.js';

export interface InstanceProgress {
  instanceId: string;
  status: InstanceStatus;
  tasks: (TaskStatus & { stages: Stage[] })[];
}

export interface WaitOptions {
  /** Give up after this many milliseconds (WaitTimeoutError; the instance keeps running). */
  timeout?: number;
  signal?: AbortSignal;
  /** Called after each poll with task statuses and stage progress. Errors it throws end the wait. */
  onProgress?: (progress: InstanceProgress) => void | Promise<void>;
  /** Minimum time between two status checks (default 1000 ms). */
  pollInterval?: number;
}

export interface WaitTarget {
  readonly id: string;
  status(options: { signal?: AbortSignal; blocking?: boolean }): Promise<InstanceStatus>;
  progress(signal: AbortSignal): Promise<InstanceProgress>;
}

/**
 * Poll until Terminated. One linked AbortController carries the caller's abort and our timeout, so the
 * in-flight request and the sleep both stop at once, and `finally` clears every timer and listener.
 */
export async function waitForTermination(target: WaitTarget, options: WaitOptions): Promise<void> {
  const controller = new AbortController();
  const outer = options.signal;
  const onOuterAbort = (): void => controller.abort(outer?.reason);
  if (outer?.aborted) controller.abort(outer.reason);
  else outer?.addEventListener('abort', onOuterAbort, { once: true });
  const timer = options.timeout === undefined ? undefined : setTimeout(() => controller.abort(new WaitTimeoutError(target.id, options.timeout as number)), options.timeout);
  const signal = controller.signal;
  const interval = Math.max(0, options.pollInterval ?? 1000);
  try {
    for (;;) {
      if (signal.aborted) throw signal.reason;
      const started = Date.now();
      const status = await target.status({ signal, blocking: true });
      // Report the final state too, so a progress display always ends at its real last stage.
      if (options.onProgress) await options.onProgress(await target.progress(signal));
      if (status === 'Terminated') return;
      const wait = interval - (Date.now() - started);
      if (wait > 0) await sleep(wait, signal);
    }
  } catch (err) {
    // Whatever the in-flight request threw, report why we stopped.
    if (signal.aborted) throw signal.reason;
    throw err;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    outer?.removeEventListener('abort', onOuterAbort);
  }
}
