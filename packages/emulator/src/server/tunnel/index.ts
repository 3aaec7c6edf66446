// Tunnel routes: discovery (REST) plus table download/upload and instance download on the tunnel path space.
import type { EmulatorContext } from '../context.js';
import { EmulatorHttpError } from '../errors.js';
import type { RequestContext } from '../request-context.js';
import type { Router } from '../router.js';
import { requireProject } from '../routes/project-guard.js';
import { createInstanceDownload, createTableDownload, readDownloadData, reloadDownload } from './downloads.js';
import { previewTable } from './preview.js';
import { createTunnelState, type TunnelState } from './tunnel-state.js';
import { tunnelErrors } from './tunnel-errors.js';
import { abortStream, createStream, putStreamBatch, rebalanceStreams, reloadStream } from './streams.js';
import { abortUpsert, commitUpsert, createUpsert, putUpsertBucket, reloadUpsert } from './upserts.js';
import { commitUpload, createUpload, putBlock, uploadStatus } from './uploads.js';

const TABLE_PATHS = ['/projects/:project/tables/:table', '/projects/:project/schemas/:schema/tables/:table'];
const INSTANCE_PATH = '/projects/:project/instances/:instance';

function unknownAction(ctx: RequestContext, expected: string): EmulatorHttpError {
  return new EmulatorHttpError(400, 'InvalidArgument', `${ctx.method} on this tunnel resource needs one of: ${expected}.`);
}

/** POST table: `downloads` / `uploads` create a session (bare key or `=` / `=1`, any SDK), `uploadid` commits. */
async function tablePost(ctx: RequestContext, state: TunnelState): Promise<void> {
  if (ctx.has('downloads')) return createTableDownload(ctx, state);
  if (ctx.has('uploads')) return createUpload(ctx, state);
  if (ctx.has('uploadid')) return commitUpload(ctx, state);
  throw unknownAction(ctx, 'downloads, uploads, uploadid');
}

async function tableGet(ctx: RequestContext, state: TunnelState): Promise<void> {
  if (ctx.has('downloadid')) {
    if (ctx.has('data')) return readDownloadData(ctx, state, 'table');
    return reloadDownload(ctx, state, 'table');
  }
  if (ctx.has('uploadid')) return uploadStatus(ctx, state);
  throw unknownAction(ctx, 'downloadid, uploadid');
}

async function tablePut(ctx: RequestContext, state: TunnelState): Promise<void> {
  if (ctx.has('uploadid')) {
    if (!ctx.has('blockid')) throw tunnelErrors.invalidBlockId('');
    return putBlock(ctx, state);
  }
  throw unknownAction(ctx, 'uploadid and blockid');
}

async function instancePost(ctx: RequestContext, state: TunnelState): Promise<void> {
  if (ctx.has('downloads')) return createInstanceDownload(ctx, state);
  throw unknownAction(ctx, 'downloads');
}

async function instanceGet(ctx: RequestContext, state: TunnelState): Promise<void> {
  if (ctx.has('downloadid')) {
    if (ctx.has('data')) return readDownloadData(ctx, state, 'instance');
    return reloadDownload(ctx, state, 'instance');
  }
  throw unknownAction(ctx, 'downloadid');
}

/**
 * Register tunnel routes. Discovery is a REST call (`GET /api/projects/<p>/tunnel?service`) answering
 * the bare `host:port` (rest.md §2); data routes live in the 'tunnel' service (`/projects/...`, signed
 * against `http://host:port`; errors render as tunnel JSON; the server applies faults, including the
 * reset-after-bytes cut on download bodies).
 */
export function registerTunnelRoutes(router: Router, emu: EmulatorContext): void {
  router.add('rest', 'GET', '/projects/:project/tunnel', (ctx) => {
    requireProject(ctx);
    ctx.sendText(ctx.emu.urls.tunnelHost);
  });
  const state = createTunnelState(emu);
  // Reset forgets every session (download snapshots are released).
  emu.resetHooks.push(() => {
    state.downloads.clear();
    state.uploads.clear();
    state.streams.clear();
    state.upserts.clear();
  });
  for (const path of TABLE_PATHS) {
    router.add('tunnel', 'POST', path, (ctx) => tablePost(ctx, state));
    router.add('tunnel', 'GET', path, (ctx) => tableGet(ctx, state));
    router.add('tunnel', 'PUT', path, (ctx) => tablePut(ctx, state), { body: 'stream' });
  }
  for (const path of TABLE_PATHS.map((p) => `${p}/streams`)) {
    // POST without uploadid creates, with it aborts (PyODPS); GET reloads; PUT writes a micro-batch.
    router.add('tunnel', 'POST', path, (ctx) => (ctx.has('uploadid') ? abortStream(ctx, state) : createStream(ctx, state)));
    router.add('tunnel', 'GET', path, (ctx) => {
      if (!ctx.has('uploadid')) throw unknownAction(ctx, 'uploadid');
      reloadStream(ctx, state);
    });
    router.add('tunnel', 'PUT', path, (ctx) => {
      if (!ctx.has('uploadid') || !ctx.has('slotid')) throw unknownAction(ctx, 'uploadid and slotid');
      return putStreamBatch(ctx, state);
    }, { body: 'stream' });
  }
  for (const path of TABLE_PATHS.map((p) => `${p}/upserts`)) {
    // POST without upsertid creates, with it commits; GET reloads; PUT writes a bucket; DELETE aborts.
    router.add('tunnel', 'POST', path, (ctx) => (ctx.has('upsertid') ? commitUpsert(ctx, state) : createUpsert(ctx, state)));
    router.add('tunnel', 'GET', path, (ctx) => {
      if (!ctx.has('upsertid')) throw unknownAction(ctx, 'upsertid');
      reloadUpsert(ctx, state);
    });
    router.add('tunnel', 'PUT', path, (ctx) => {
      if (!ctx.has('upsertid') || !ctx.has('bucketid') || !ctx.has('slotid')) throw unknownAction(ctx, 'upsertid, bucketid and slotid');
      return putUpsertBucket(ctx, state);
    }, { body: 'stream' });
    router.add('tunnel', 'DELETE', path, (ctx) => {
      if (!ctx.has('upsertid')) throw unknownAction(ctx, 'upsertid');
      abortUpsert(ctx, state);
    });
  }
  // Emulator control: move every open stream session to `count` slots on new servers (slot change).
  router.add('admin', 'POST', '/streams/slots', (ctx) => {
    const count = Number(ctx.q('count') ?? '');
    if (!Number.isInteger(count) || count < 1 || count > 64) throw new EmulatorHttpError(400, 'InvalidArgument', 'count must be an integer in [1, 64].');
    ctx.sendJson({ sessions: rebalanceStreams(ctx, state, count) });
  });
  router.add('tunnel', 'GET', '/projects/:project/schemas/:schema/tables/:table/preview', (ctx) => previewTable(ctx));
  router.add('tunnel', 'POST', INSTANCE_PATH, (ctx) => instancePost(ctx, state));
  router.add('tunnel', 'GET', INSTANCE_PATH, (ctx) => instanceGet(ctx, state));
}
