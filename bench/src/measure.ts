// Timing of a measured section: wall clock, CPU of this process, and the process's peak RSS.
import { readFileSync } from 'node:fs';

export interface Section {
  stop(): { wallMs: number; cpuMs: number };
}

export function startSection(): Section {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  return {
    stop() {
      const c = process.cpuUsage(c0);
      return { wallMs: performance.now() - t0, cpuMs: (c.user + c.system) / 1000 };
    },
  };
}

/**
 * Peak resident set size of this process so far, in MiB. On Linux this is VmHWM from
 * /proc/self/status: process.resourceUsage().maxRSS (getrusage ru_maxrss) survives execve, so in a
 * freshly spawned child it reports the parent's size when that was larger (seen here: every child
 * "peaked" at the orchestrator's 227-330 MiB). Elsewhere maxRSS is the best there is.
 */
export function peakRssMiB(): number {
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    /* not Linux */
  }
  return process.resourceUsage().maxRSS / 1024;
}
