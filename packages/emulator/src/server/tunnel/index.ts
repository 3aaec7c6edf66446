// Tunnel routes. Placeholder: only tunnel discovery; the table/instance tunnel routes plug in here.
import { requireProject } from '../routes/project-guard.js';
import type { EmulatorContext } from '../context.js';
import type { Router } from '../router.js';

/**
 * Register tunnel routes. Discovery is a REST call (`GET /api/projects/<p>/tunnel?service`) answering
 * the bare `host:port` (rest.md §2); data routes use the 'tunnel' service (`/projects/...`, signed
 * against `http://host:port`; errors render as tunnel JSON). Use `{ body: 'stream' }` for uploads and
 * `ctx.resetAfterBytes`/the automatic reset fault for downloads.
 */
export function registerTunnelRoutes(router: Router, _emu: EmulatorContext): void {
  router.add('rest', 'GET', '/projects/:project/tunnel', (ctx) => {
    requireProject(ctx);
    ctx.sendText(ctx.emu.urls.tunnelHost);
  });
}
