// Codec case: record and Arrow encode/decode from memory, no HTTP in the measured section.
import { decodeArrowStream, encodeArrowBatches, RecordStreamDecoder, RecordStreamEncoder, TUNNEL_VERSION } from '@odps-ts/odps-client';
import type { RecordBatch } from '../arrow-types.js';
import { makeClient, tablePath } from '../client.js';
import { COLUMNS, makeRows } from '../dataset.js';
import { peakRssMiB, startSection } from '../measure.js';
import type { CaseResult, CaseSpec } from '../spec.js';

type CodecSpec = Extract<CaseSpec, { kind: 'codec' }>;

export function encodeAll(rows: readonly unknown[][], count: number): Uint8Array[] {
  const enc = new RecordStreamEncoder(COLUMNS);
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const c = enc.write(rows[i % rows.length]!);
    if (c) out.push(c);
  }
  out.push(enc.finish());
  return out;
}

export async function* iterate(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array, void, undefined> {
  yield* chunks;
}

/** The framed Arrow body of rows [0, count) as the server sends it (fetched before timing). */
export async function arrowBody(spec: Pick<CodecSpec, 'target' | 'table' | 'sessionId' | 'rows'>): Promise<Uint8Array[]> {
  const client = makeClient(spec.target);
  const res = await client.odps.transport.request({
    method: 'GET', service: 'tunnel', path: tablePath(spec.target.project, spec.table),
    query: { data: null, downloadid: spec.sessionId, rowrange: `(0,${spec.rows})`, arrow: null },
    headers: { 'x-odps-tunnel-version': TUNNEL_VERSION },
  });
  const chunks: Uint8Array[] = [];
  for await (const c of res.body) chunks.push(c as Buffer);
  await client.close();
  return chunks;
}

const sum = (chunks: readonly Uint8Array[]): number => chunks.reduce((n, c) => n + c.byteLength, 0);

export async function runCodec(spec: CodecSpec): Promise<CaseResult> {
  const n = spec.rows;
  if (spec.op === 'record-encode' || spec.op === 'record-decode') {
    const rows = makeRows(0, spec.unique);
    if (spec.op === 'record-encode') {
      const s = startSection();
      const chunks = encodeAll(rows, n);
      const t = s.stop();
      return { ...t, rows: n, bytes: sum(chunks), peakRssMiB: peakRssMiB() };
    }
    const chunks = encodeAll(rows, n);
    rows.length = 0;
    const s = startSection();
    const dec = new RecordStreamDecoder(COLUMNS);
    let got = 0;
    for (const c of chunks) got += dec.push(c).length;
    got += dec.end().length;
    const t = s.stop();
    if (got !== n) throw new Error(`decoded ${got} rows, expected ${n}`);
    return { ...t, rows: n, bytes: sum(chunks), peakRssMiB: peakRssMiB() };
  }
  const body = await arrowBody(spec);
  if (spec.op === 'arrow-decode') {
    const s = startSection();
    let got = 0;
    for await (const b of decodeArrowStream(iterate(body), COLUMNS)) got += b.numRows;
    const t = s.stop();
    if (got !== n) throw new Error(`decoded ${got} rows, expected ${n}`);
    return { ...t, rows: n, bytes: sum(body), peakRssMiB: peakRssMiB() };
  }
  const batches: RecordBatch[] = [];
  for await (const b of decodeArrowStream(iterate(body), COLUMNS)) batches.push(b);
  body.length = 0;
  const s = startSection();
  let bytes = 0;
  for await (const piece of encodeArrowBatches(batches)) bytes += piece.byteLength;
  const t = s.stop();
  return { ...t, rows: n, bytes, peakRssMiB: peakRssMiB() };
}
