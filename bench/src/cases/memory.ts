// Memory case: stream a multi-GB table through the real reader and report the child's peak RSS.
import { TableDownloadSession } from '@odps-ts/odps-client';
import { makeClient } from '../client.js';
import { peakRssMiB, startSection } from '../measure.js';
import type { CaseResult, CaseSpec } from '../spec.js';

type MemorySpec = Extract<CaseSpec, { kind: 'memory' }>;

export async function runMemory(spec: MemorySpec): Promise<CaseResult> {
  const client = makeClient(spec.target);
  const session = await TableDownloadSession.create(client.odps, { project: spec.target.project, name: spec.table });
  if (session.recordCount !== spec.rows) throw new Error(`session has ${session.recordCount} rows, expected ${spec.rows}`);
  let rows = 0;
  let sink = 0;
  const s = startSection();
  if (spec.format === 'arrow') {
    for await (const b of session.openArrowReader()) rows += b.numRows;
  } else {
    for await (const batch of session.openRecordReader().batches()) {
      rows += batch.length;
      for (const row of batch) if (row[2] !== null) sink++;
    }
  }
  const t = s.stop();
  await client.close();
  if (rows !== spec.rows || sink > rows) throw new Error(`read ${rows} rows, expected ${spec.rows}`);
  return { ...t, rows, peakRssMiB: peakRssMiB(), extra: { heapUsedMiB: process.memoryUsage().heapUsed / 1048576 } };
}
