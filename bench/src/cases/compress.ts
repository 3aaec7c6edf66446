// Compression case: one tunnel body codec alone (none, deflate, LZ4 frame, zstd) over a record or Arrow body, from memory.
import { compressBody, decompressBody, encodingHeader } from '@odps-ts/odps-client';
import { makeRows } from '../dataset.js';
import { peakRssMiB, startSection } from '../measure.js';
import type { CaseResult, CaseSpec } from '../spec.js';
import { arrowBody, encodeAll, iterate } from './codec.js';

type CompressSpec = Extract<CaseSpec, { kind: 'compress' }>;

async function drain(source: AsyncIterable<Uint8Array>, keep?: Uint8Array[]): Promise<number> {
  let n = 0;
  for await (const c of source) {
    n += c.byteLength;
    keep?.push(c);
  }
  return n;
}

/** `bytes` is the compressed size; `extra.plainBytes` the body before compression. */
export async function runCompress(spec: CompressSpec): Promise<CaseResult> {
  const plain = spec.format === 'record' ? encodeAll(makeRows(0, spec.unique), spec.rows) : await arrowBody(spec);
  const plainBytes = plain.reduce((n, c) => n + c.byteLength, 0);
  const extra = { plainBytes };
  if (spec.op === 'encode') {
    const s = startSection();
    const bytes = await drain(compressBody(plain, spec.codec));
    return { ...s.stop(), rows: spec.rows, bytes, peakRssMiB: peakRssMiB(), extra };
  }
  const packed: Uint8Array[] = [];
  const bytes = await drain(compressBody(plain, spec.codec), packed);
  plain.length = 0;
  const s = startSection();
  const out = await drain(decompressBody(iterate(packed), encodingHeader(spec.codec, spec.format === 'arrow')));
  const t = s.stop();
  if (out !== plainBytes) throw new Error(`decompressed ${out} bytes, expected ${plainBytes}`);
  return { ...t, rows: spec.rows, bytes, peakRssMiB: peakRssMiB(), extra };
}
