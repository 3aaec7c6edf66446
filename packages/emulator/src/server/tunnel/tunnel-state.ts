// The tunnel's per-emulator state: download, upload and stream session stores.
import type { EmulatorContext } from '../context.js';
import { SessionStore } from './session-store.js';
import type { DownloadSession, UploadSession } from './sessions.js';
import type { StreamSession } from './streams.js';
import type { UpsertSession } from './upserts.js';

// LRU caps. Table sessions hold an engine snapshot (an open DuckDB transaction on its own connection,
// rows stay in DuckDB); instance sessions and engines without snapshots hold rows in JS memory, capped
// by MAX_HELD_ROWS. Sessions leaving the store release their snapshot.
const MAX_DOWNLOAD_SESSIONS = 256;
const MAX_HELD_ROWS = 5_000_000;
const MAX_UPLOAD_SESSIONS = 256;
const MAX_STREAM_SESSIONS = 256;
const MAX_UPSERT_SESSIONS = 256;

export interface TunnelState {
  downloads: SessionStore<DownloadSession>;
  uploads: SessionStore<UploadSession>;
  streams: SessionStore<StreamSession>;
  upserts: SessionStore<UpsertSession>;
}

export function createTunnelState(emu: EmulatorContext): TunnelState {
  const now = () => emu.now();
  return {
    downloads: new SessionStore<DownloadSession>(now, {
      maxEntries: MAX_DOWNLOAD_SESSIONS,
      maxWeight: MAX_HELD_ROWS,
      weigh: (s) => (s as DownloadSession).source.heldRows,
      onRemove: (s) => (s as DownloadSession).source.release(),
    }),
    uploads: new SessionStore<UploadSession>(now, { maxEntries: MAX_UPLOAD_SESSIONS }),
    streams: new SessionStore<StreamSession>(now, { maxEntries: MAX_STREAM_SESSIONS }),
    upserts: new SessionStore<UpsertSession>(now, { maxEntries: MAX_UPSERT_SESSIONS }),
  };
}
