// The tunnel's per-emulator state: download and upload session stores.
import type { EmulatorContext } from '../context.js';
import { SessionStore } from './session-store.js';
import type { DownloadSession, UploadSession } from './sessions.js';

// LRU caps: download sessions hold a snapshot of their rows, so abandoned ones must not pile up.
const MAX_DOWNLOAD_SESSIONS = 256;
const MAX_DOWNLOAD_ROWS = 5_000_000;
const MAX_UPLOAD_SESSIONS = 256;

export interface TunnelState {
  downloads: SessionStore<DownloadSession>;
  uploads: SessionStore<UploadSession>;
}

export function createTunnelState(emu: EmulatorContext): TunnelState {
  const now = () => emu.now();
  return {
    downloads: new SessionStore<DownloadSession>(now, {
      maxEntries: MAX_DOWNLOAD_SESSIONS,
      maxWeight: MAX_DOWNLOAD_ROWS,
      weigh: (s) => (s as DownloadSession).rows.length,
    }),
    uploads: new SessionStore<UploadSession>(now, { maxEntries: MAX_UPLOAD_SESSIONS }),
  };
}
