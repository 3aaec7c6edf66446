// Assertion on the tunnel's server metrics JSON, shared by the upload and download tests.
import { expect } from 'vitest';

/** Java TunnelMetrics.parse / PyODPS TunnelMetrics.from_server_json read these keys; costs are microseconds. */
export function expectServerMetrics(json: string | undefined): void {
  const m = JSON.parse(json ?? 'null') as Record<string, number>;
  expect(Object.keys(m).sort()).toEqual(['PanguIOCost', 'RateLimitCost', 'ServerIOCost', 'ServerTotalCost']);
  for (const v of Object.values(m)) expect(Number.isInteger(v)).toBe(true);
  expect(m['PanguIOCost']).toBeGreaterThan(0);
  expect(m['ServerIOCost']).toBeGreaterThan(0);
  // PyODPS's tunnel_process_cost = total − server IO − storage − rate limit must not go negative.
  expect(m['ServerTotalCost']! - m['ServerIOCost']! - m['PanguIOCost']! - m['RateLimitCost']!).toBeGreaterThan(0);
}
