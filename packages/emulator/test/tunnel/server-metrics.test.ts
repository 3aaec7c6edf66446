import { describe, expect, it } from 'vitest';
import { serverMetricsJson } from '../../src/server/tunnel/server-metrics.js';
import { expectServerMetrics } from './metrics-assert.js';

describe('tunnel server metrics', () => {
  it('reports non-zero microsecond costs whose parts never exceed the total', () => {
    expectServerMetrics(serverMetricsJson(performance.now()));
    // A start 5 ms ago is at least 5000 µs, not 5 (the SDKs divide by 1000 for milliseconds).
    const m = JSON.parse(serverMetricsJson(performance.now() - 5)) as Record<string, number>;
    expect(m['ServerTotalCost']).toBeGreaterThanOrEqual(5000);
  });
});
