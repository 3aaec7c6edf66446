// Upload case: the real block writers (rows or Arrow batches) versus PUTting the same pre-encoded blocks.
import {
  ArrowFrameEncoder, DEFAULT_BLOCK_SIZE, deframeArrowBody, encodeArrowBatches, RecordStreamEncoder, TableDownloadSession,
  TableUploadSession, type Column,
} from '@odps-ts/odps-client';
import type { RecordBatch } from '../arrow-types.js';
import { makeClient } from '../client.js';
import { makeRows } from '../dataset.js';
import { peakRssMiB, startSection } from '../measure.js';
import type { CaseResult, CaseSpec } from '../spec.js';

type UploadSpec = Extract<CaseSpec, { kind: 'upload' }>;

function* cycle<T>(items: readonly T[], count: number): Generator<T, void, undefined> {
  for (let i = 0; i < count; i++) yield items[i % items.length]!;
}

/** Record blocks exactly as RecordBlockWriter cuts them (roll once a block reaches blockSize). */
function recordBlocks(columns: readonly Column[], rows: Iterable<readonly unknown[]>): Uint8Array[][] {
  const blocks: Uint8Array[][] = [];
  let enc = new RecordStreamEncoder(columns);
  let chunks: Uint8Array[] = [];
  for (const row of rows) {
    const c = enc.write(row);
    if (c) chunks.push(c);
    if (enc.byteCount >= DEFAULT_BLOCK_SIZE) {
      chunks.push(enc.finish());
      blocks.push(chunks);
      chunks = [];
      enc = new RecordStreamEncoder(columns);
    }
  }
  if (enc.recordCount > 0) {
    chunks.push(enc.finish());
    blocks.push(chunks);
  }
  return blocks;
}

async function collect(source: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const p of source) parts.push(p);
  return Buffer.concat(parts);
}

/** Arrow blocks exactly as ArrowBlockWriter cuts them: one framer per block, roll at blockSize framed bytes. */
async function arrowBlocks(batches: readonly RecordBatch[], count: number): Promise<Uint8Array[][]> {
  // The batch-only IPC messages of each unique batch (unframed payload of a one-batch body).
  const messages = await Promise.all(batches.map((b) => collect(deframeArrowBody(encodeArrowBatches([b])))));
  const blocks: Uint8Array[][] = [];
  let framer = new ArrowFrameEncoder();
  let chunks: Uint8Array[] = [];
  let bytes = 0;
  let rows = 0;
  for (let i = 0; rows < count; i++) {
    const k = i % batches.length;
    for (const piece of framer.write(messages[k]!)) {
      chunks.push(piece);
      bytes += piece.byteLength;
    }
    rows += batches[k]!.numRows;
    if (bytes >= DEFAULT_BLOCK_SIZE) {
      chunks.push(...framer.finish());
      blocks.push(chunks);
      chunks = [];
      bytes = 0;
      framer = new ArrowFrameEncoder();
    }
  }
  if (framer.payloadBytes > 0) {
    chunks.push(...framer.finish());
    blocks.push(chunks);
  }
  return blocks;
}

export async function runUpload(spec: UploadSpec): Promise<CaseResult> {
  const client = makeClient(spec.target);
  const { odps } = client;
  const project = spec.target.project;
  const arrow = spec.format === 'arrow';
  // Inputs are prepared before timing: rows in the value model, or Arrow batches as the server sends them.
  let rowsIn: unknown[][] = [];
  const batches: RecordBatch[] = [];
  if (arrow) {
    const src = await TableDownloadSession.attach(odps, { project, name: spec.sourceTable }, spec.sourceSessionId);
    let n = 0;
    for await (const b of src.openArrowReader({ count: spec.unique })) {
      batches.push(b);
      n += b.numRows;
    }
    if (spec.rows % n !== 0) throw new Error(`rows ${spec.rows} must be a multiple of the ${n} unique Arrow rows`);
  } else {
    rowsIn = makeRows(0, spec.unique);
  }
  const session = await TableUploadSession.create(odps, { project, name: spec.table });
  let bytes: number | undefined;
  const extra: Record<string, number> = {};
  let section;
  if (spec.mode === 'raw') {
    const blocks = arrow ? await arrowBlocks(batches, spec.rows) : recordBlocks(session.columns, cycle(rowsIn, spec.rows));
    bytes = blocks.reduce((n, b) => n + b.reduce((m, c) => m + c.byteLength, 0), 0);
    extra['blocks'] = blocks.length;
    section = startSection();
    for (let id = 0; id < blocks.length; id++) await session.uploadBlock(id, blocks[id]!, arrow ? { arrow: true } : {});
  } else if (arrow) {
    const w = session.openArrowWriter(spec.compress ? { compress: spec.compress } : {});
    section = startSection();
    let rows = 0;
    for (let i = 0; rows < spec.rows; i++) {
      const b = batches[i % batches.length]!;
      await w.write(b);
      rows += b.numRows;
    }
    extra['blocks'] = (await w.close()).length;
  } else {
    const w = session.openWriter(spec.compress ? { compress: spec.compress } : {});
    section = startSection();
    await w.writeRows(cycle(rowsIn, spec.rows));
    extra['blocks'] = (await w.close()).length;
  }
  const t = section.stop();
  if (spec.commit) {
    const c = startSection();
    await session.commit([...Array(extra['blocks']).keys()]);
    extra['commitMs'] = c.stop().wallMs;
  }
  await client.close();
  return { ...t, rows: spec.rows, ...(bytes !== undefined ? { bytes } : {}), peakRssMiB: peakRssMiB(), extra };
}
