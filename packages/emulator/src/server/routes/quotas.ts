// Quota routes: `GET /quotas` (marker paging) and `GET /quotas/<nickname>` (PyODPS odps/models/quota(s).py).
import { EmulatorHttpError, httpErrors } from '../errors.js';
import type { RequestContext } from '../request-context.js';
import type { Router } from '../router.js';
import { paginate } from '../paging.js';
import { el, type Raw } from '../xml.js';
import { projectExists } from './project-guard.js';

/** The one quota every emulator project runs on: the nickname `GET /projects/<p>` reports as default. */
export const DEFAULT_QUOTA = 'default';
const QUOTA_CREATED_MS = Date.UTC(2024, 0, 1);

function quotaElement(nickname: string): Raw {
  return el('Quota', [
    el('Name', nickname),
    el('Nickname', nickname),
    el('ID', '1'),
    el('Cluster', 'emulator'),
    el('Status', 'ON'),
    el('IsEnabled', 'true'),
    el('ResourceSystemType', 'FUXI_OFFLINE'),
    el('CPU', '100'),
    el('MinCPU', '100'),
    el('Memory', '4096'),
    el('MinMemory', '4096'),
    el('Strategy', 'NoPreempt'),
    el('SchedulerType', 'Fifo'),
    el('TenantId', 'emulator'),
    el('Region', 'local'),
    el('CreateTimeMs', String(QUOTA_CREATED_MS)),
    el('LastModifiedTimeMs', String(QUOTA_CREATED_MS)),
    el('Properties', '{}'),
  ]);
}

/** `project=` names the project asking (PyODPS always sends it); one the emulator lacks is a 404. */
function checkProject(ctx: RequestContext): void {
  const project = ctx.q('project');
  if (project && !projectExists(ctx.emu, project)) throw httpErrors.noSuchProject(project);
}

export function registerQuotaRoutes(router: Router): void {
  router.add('rest', 'GET', '/quotas', (ctx) => {
    checkProject(ctx);
    const page = paginate(ctx, [DEFAULT_QUOTA], (n) => n);
    ctx.sendXml(el('Quotas', [...page.items.map(quotaElement), el('Marker', page.marker), el('MaxItems', page.maxItems)]));
  });

  router.add('rest', 'GET', '/quotas/:nickname', (ctx) => {
    checkProject(ctx);
    const nickname = ctx.param('nickname');
    if (nickname !== DEFAULT_QUOTA) throw new EmulatorHttpError(404, 'NoSuchObject', `ODPS-0110061:Failed to get quota - quota '${nickname}' does not exist.`);
    ctx.sendXml(quotaElement(nickname));
  });
}
