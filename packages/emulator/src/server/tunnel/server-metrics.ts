// The tunnel's server cost metrics (`odps-tunnel-metrics` header on uploads, trailer on downloads, tunnel.md §1.3/§3.6).
import { performance } from 'node:perf_hooks';

/** A start mark for `serverMetricsJson`. */
export function metricsStart(): number {
  return performance.now();
}

/**
 * The metrics JSON: PanguIOCost, ServerIOCost, ServerTotalCost, RateLimitCost in MICROseconds (Java
 * `TunnelMetrics.parse` divides them by 1000; PyODPS derives the tunnel's own cost as total − IO −
 * storage − rate limit). Costs are never zero and that difference never negative: a measured request
 * always took some time, split here a third each to storage IO, server IO and tunnel processing.
 */
export function serverMetricsJson(startedAt: number): string {
  const total = Math.max(3, Math.round((performance.now() - startedAt) * 1000));
  const io = Math.floor(total / 3);
  return JSON.stringify({ PanguIOCost: io, ServerIOCost: io, ServerTotalCost: total, RateLimitCost: 0 });
}
