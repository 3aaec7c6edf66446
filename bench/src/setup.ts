// Builds the run's fixtures: the emulator (seeded), the pre-encoded bodies and the minimal loopback server.
import { createEngine, DEFAULT_OWNER, startEmulator, type Emulator } from '@odps-ts/emulator';
import { deframeArrowBody, TableDownloadSession, TUNNEL_VERSION } from '@odps-ts/odps-client';
import type { Sizes } from './args.js';
import { ArrowBlob } from './blob/arrow-blob.js';
import { startBlobServer, type BlobServer } from './blob/blob-server.js';
import { RecordBlob } from './blob/record-blob.js';
import { makeClient, tablePath, type BenchClient } from './client.js';
import { COLUMNS, CREATE_TABLE_SQL, makeRows, TABLE } from './dataset.js';
import { withListedTables } from './list-engine.js';
import type { Target } from './spec.js';

export const UPLOAD_TABLE = 'bench_upload';
export const ENDLESS_TABLE = 'bench_endless';
export const LIST_PROJECT = 'benchlist';

export interface Fixtures {
  emu: Emulator;
  emuTarget: Target;
  emuSessionId: string;
  blob: BlobServer;
  blobTarget: Target;
  blobSessionId: string;
  record: RecordBlob;
  arrow: ArrowBlob;
  endlessRows: number;
  setupMs: Record<string, number>;
  close(): Promise<void>;
}

async function timed<T>(log: Record<string, number>, name: string, f: () => Promise<T> | T): Promise<T> {
  const t0 = performance.now();
  const v = await f();
  log[name] = Math.round(performance.now() - t0);
  return v;
}

/** Unframed Arrow payload of emulator rows [start, start+count): the slices the blob server repeats. */
async function arrowPayload(client: BenchClient, project: string, sessionId: string, start: number, count: number): Promise<Uint8Array> {
  const res = await client.odps.transport.request({
    method: 'GET', service: 'tunnel', path: tablePath(project, TABLE),
    query: { data: null, downloadid: sessionId, rowrange: `(${start},${count})`, arrow: null },
    headers: { 'x-odps-tunnel-version': TUNNEL_VERSION },
  });
  const parts: Uint8Array[] = [];
  for await (const p of deframeArrowBody(res.body)) parts.push(p);
  return Buffer.concat(parts);
}

export async function setupFixtures(sizes: Sizes, log: (msg: string) => void): Promise<Fixtures> {
  const setupMs: Record<string, number> = {};
  const engine = await createEngine({ defaultOwner: DEFAULT_OWNER });
  const emu = await startEmulator({
    port: 0, seed: false, engine: withListedTables(engine, LIST_PROJECT, sizes.listTables, DEFAULT_OWNER), extraProjects: [LIST_PROJECT],
  });
  const emuTarget: Target = {
    endpoint: emu.endpoint, tunnelEndpoint: emu.tunnelEndpoint, project: emu.project, accessKeyId: emu.accessKeyId, accessKeySecret: emu.accessKeySecret,
  };
  const unique = await timed(setupMs, 'generateRows', () => makeRows(0, sizes.unique));
  await timed(setupMs, 'seedEmulator', async () => {
    await engine.execute(emu.project, CREATE_TABLE_SQL);
    await engine.execute(emu.project, CREATE_TABLE_SQL.replace(TABLE, UPLOAD_TABLE));
    for (let s = 0; s < sizes.emulatorRows; s += sizes.unique) await engine.writeRows(emu.project, TABLE, unique, {});
  });
  log(`emulator seeded with ${sizes.emulatorRows} rows in ${setupMs['seedEmulator']} ms`);
  const client = makeClient(emuTarget);
  const emuSession = await timed(setupMs, 'emulatorSession', () => TableDownloadSession.create(client.odps, { project: emu.project, name: TABLE }));
  const slices = await timed(setupMs, 'arrowSlices', async () => {
    const out: Uint8Array[] = [];
    for (let s = 0; s < sizes.unique; s += sizes.sliceRows) out.push(await arrowPayload(client, emu.project, emuSession.id, s, sizes.sliceRows));
    return out;
  });
  await client.close();
  const record = await timed(setupMs, 'encodeRecordBlob', () => new RecordBlob(COLUMNS, unique));
  const arrow = new ArrowBlob(slices, sizes.sliceRows);
  const endlessRows = Math.ceil(sizes.memoryBytes / record.bytes.length) * sizes.unique;
  const blob = await startBlobServer(new Map([
    [TABLE, { columns: COLUMNS, recordCount: sizes.blobRows, record, arrow }],
    [ENDLESS_TABLE, { columns: COLUMNS, recordCount: endlessRows, record, arrow }],
  ]));
  const blobTarget: Target = { endpoint: `${blob.url}/api`, tunnelEndpoint: blob.url, project: emu.project, accessKeyId: 'bench', accessKeySecret: 'bench' };
  const blobClient = makeClient(blobTarget);
  const blobSession = await TableDownloadSession.create(blobClient.odps, { project: emu.project, name: TABLE });
  await blobClient.close();
  log(`fixtures ready: record ${record.bytesPerRow.toFixed(1)} B/row, Arrow ${(arrow.payloadBytes / arrow.unique).toFixed(1)} B/row`);
  return {
    emu, emuTarget, emuSessionId: emuSession.id, blob, blobTarget, blobSessionId: blobSession.id, record, arrow, endlessRows, setupMs,
    async close() {
      await blob.close();
      await emu.close();
      await engine.close();
    },
  };
}
