// Storage API v1 routes (`/api/storage/v1/projects/{p}/schemas/{s}/tables/{t}/...` on the tunnel endpoint).
import type { EmulatorContext } from '../context.js';
import type { Router } from '../router.js';
import { createReadSession, createReadSessionStore, getReadSession, readSessionData } from './read-sessions.js';

const TABLE = '/projects/:project/schemas/:schema/tables/:table';

export function registerStorageRoutes(router: Router, emu: EmulatorContext): void {
  const store = createReadSessionStore(() => emu.now());
  emu.resetHooks.push(() => store.clear());
  router.add('storage', 'POST', `${TABLE}/sessions`, (ctx) => createReadSession(ctx, store));
  router.add('storage', 'GET', `${TABLE}/sessions/:session`, (ctx) => getReadSession(ctx, store));
  router.add('storage', 'GET', `${TABLE}/data`, (ctx) => readSessionData(ctx, store));
}
