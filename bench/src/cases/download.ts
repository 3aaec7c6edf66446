// Download case: the real readers (record rows or Arrow batches) versus draining the same GETs undecoded.
import { encodingHeader, splitRange, TableDownloadSession, TUNNEL_VERSION, type TunnelCompression } from '@odps-ts/odps-client';
import { makeClient, tablePath } from '../client.js';
import { peakRssMiB, startSection } from '../measure.js';
import type { CaseResult, CaseSpec } from '../spec.js';

type DownloadSpec = Extract<CaseSpec, { kind: 'download' }>;

/** The same GET the reader sends (same query, headers, session and row range), body only counted. */
export async function drainRange(spec: { target: DownloadSpec['target']; table: string; sessionId: string; arrow: boolean; compress?: TunnelCompression }, odps: ReturnType<typeof makeClient>['odps'], start: number, count: number): Promise<number> {
  const query: Record<string, string | null> = { data: null, downloadid: spec.sessionId, rowrange: `(${start},${count})` };
  if (spec.arrow) query['arrow'] = null;
  const headers: Record<string, string> = { 'x-odps-tunnel-version': TUNNEL_VERSION, 'odps-tunnel-date-transform': 'v1' };
  const accept = encodingHeader(spec.compress ?? 'none', spec.arrow);
  if (accept) headers['Accept-Encoding'] = accept;
  const res = await odps.transport.request({ method: 'GET', service: 'tunnel', path: tablePath(spec.target.project, spec.table), query, headers });
  let bytes = 0;
  for await (const chunk of res.body) bytes += (chunk as Buffer).byteLength;
  return bytes;
}

export async function runDownload(spec: DownloadSpec): Promise<CaseResult> {
  const client = makeClient(spec.target);
  const { odps } = client;
  const ref = { project: spec.target.project, name: spec.table };
  const session = await TableDownloadSession.attach(odps, ref, spec.sessionId);
  const arrow = spec.format === 'arrow';
  let rows = 0;
  let bytes: number | undefined;
  const section = startSection();
  if (spec.mode === 'raw') {
    const parts = splitRange(0, spec.rows, spec.parallel);
    const sizes = await Promise.all(parts.map((p) => drainRange({ ...spec, arrow }, odps, p.start, p.count)));
    bytes = sizes.reduce((a, b) => a + b, 0);
    rows = spec.rows;
  } else if (arrow) {
    for await (const batch of session.openArrowReader({ count: spec.rows, parallel: spec.parallel, ...(spec.compress ? { compress: spec.compress } : {}) })) rows += batch.numRows;
  } else {
    // Touch one value per row so the work cannot be skipped.
    let sink = 0;
    for await (const batch of session.openRecordReader({ count: spec.rows, parallel: spec.parallel, ...(spec.compress ? { compress: spec.compress } : {}) }).batches()) {
      rows += batch.length;
      for (const row of batch) if (row[0] !== null) sink++;
    }
    if (sink > rows) throw new Error('unreachable');
  }
  const t = section.stop();
  await client.close();
  if (rows !== spec.rows) throw new Error(`read ${rows} rows, expected ${spec.rows}`);
  return { ...t, rows, ...(bytes !== undefined ? { bytes } : {}), peakRssMiB: peakRssMiB() };
}
