// CLI start-up: the built `odps` bin spawned N times in a row (e.g. `odps --help`), per-run wall time.
import { spawnSync } from 'node:child_process';
import { peakRssMiB, startSection } from '../measure.js';
import type { CaseResult, CaseSpec } from '../spec.js';

export function runCliStartup(spec: Extract<CaseSpec, { kind: 'cli' }>): CaseResult {
  const times: number[] = [];
  const s = startSection();
  for (let i = 0; i < spec.runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [spec.bin, ...spec.args], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
    times.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`odps ${spec.args.join(' ')} exited ${String(r.status)}: ${r.stderr.toString().slice(0, 500)}`);
  }
  const t = s.stop();
  times.sort((a, b) => a - b);
  // The median is the figure: one slow run on a shared machine must not move it.
  const median = times[Math.floor(times.length / 2)]!;
  return {
    wallMs: median, cpuMs: t.cpuMs, rows: 1, peakRssMiB: peakRssMiB(),
    extra: { runs: spec.runs, medianMs: median, minMs: times[0]!, maxMs: times[times.length - 1]!, totalMs: t.wallMs },
  };
}
