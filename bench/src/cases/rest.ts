// REST cases on the emulator: SQL round trip (submit -> wait -> first row) and listing many tables.
import { makeClient } from '../client.js';
import { peakRssMiB, startSection } from '../measure.js';
import type { CaseResult, CaseSpec } from '../spec.js';

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

export async function runSqlRoundTrip(spec: Extract<CaseSpec, { kind: 'sql' }>): Promise<CaseResult> {
  const client = makeClient(spec.target);
  const sql = `SELECT id, name, amount FROM ${spec.table} LIMIT 100`;
  const once = async (): Promise<number> => {
    const t0 = performance.now();
    const inst = await client.odps.runSql(sql);
    await inst.waitForSuccess();
    for await (const row of inst.openReader()) {
      if (row.length !== 3) throw new Error('unexpected row shape');
      break;
    }
    return performance.now() - t0;
  };
  for (let i = 0; i < 2; i++) await once(); // warm-up: connections, JIT
  const times: number[] = [];
  const s = startSection();
  for (let i = 0; i < spec.iterations; i++) times.push(await once());
  const t = s.stop();
  await client.close();
  times.sort((a, b) => a - b);
  return {
    ...t, rows: spec.iterations, peakRssMiB: peakRssMiB(),
    extra: { p50Ms: percentile(times, 0.5), p95Ms: percentile(times, 0.95), minMs: times[0]!, maxMs: times[times.length - 1]! },
  };
}

export async function runListTables(spec: Extract<CaseSpec, { kind: 'list' }>): Promise<CaseResult> {
  const client = makeClient(spec.target);
  const s = startSection();
  let n = 0;
  for await (const tbl of client.odps.tables.list(spec.pageSize ? { pageSize: spec.pageSize } : {})) if (tbl.name) n++;
  const t = s.stop();
  await client.close();
  if (n !== spec.expected) throw new Error(`listed ${n} tables, expected ${spec.expected}`);
  return { ...t, rows: n, peakRssMiB: peakRssMiB() };
}
