// Timing of a measured section: wall clock, CPU of this process, and the process's peak RSS.

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

/** Peak resident set size of this process so far, in MiB (maxRSS is in KiB on Linux). */
export function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}
