// Project, project list and tenant routes (rest.md §2, §6).
import type { RequestContext } from '../request-context.js';
import type { Router } from '../router.js';
import { formatHttpDate } from '../time-format.js';
import { el, type Raw } from '../xml.js';
import { paginate } from '../paging.js';
import { requireProject } from './project-guard.js';

// The emulator's projects exist since the epoch as far as clients can tell; a fixed time keeps answers stable.
const PROJECT_CREATED = new Date(Date.UTC(2024, 0, 1));

function projectProperties(ctx: RequestContext): Record<string, string> {
  return {
    'odps.namespace.schema': String(ctx.emu.config.namespaceSchema),
    'odps.sql.type.system.odps2': 'true',
    'odps.sql.timezone': ctx.emu.config.timeZone,
  };
}

function projectElement(ctx: RequestContext, name: string): Raw {
  return el('Project', [
    el('Name', name),
    el('Type', 'managed'),
    el('Comment', 'odps-ts emulator project'),
    el('Owner', ctx.emu.config.owner),
    el('State', 'AVAILABLE'),
    el('ProjectGroupName', 'emulator'),
    el('CreationTime', formatHttpDate(PROJECT_CREATED)),
    el('LastModifiedTime', formatHttpDate(PROJECT_CREATED)),
    el('Properties', Object.entries(projectProperties(ctx)).map(([k, v]) => el('Property', [el('Name', k), el('Value', v)]))),
    el('Region', 'local'),
    el('TenantId', 'emulator'),
    el('DefaultQuotaNickname', 'default'),
    el('Allow3Tier', String(ctx.emu.config.namespaceSchema)),
  ]);
}

/**
 * `GET /projects/<p>?extended`: `Project › ExtendedProperties › Property {Name, Value}` (PyODPS
 * `Project.ExtendedProperties`, Java `ProjectModel.extendedProperties`). The keys are the storage sizes
 * Java's `StorageTierInfo` reads from them; the emulator does not measure storage, so they are 0.
 */
function extendedProjectElement(name: string): Raw {
  const props: Record<string, string> = { chargableAliveDataSize: '0', chargableLowFreqStorageSize: '0', chargableLongTermStorageSize: '0' };
  return el('Project', [el('Name', name), el('ExtendedProperties', Object.entries(props).map(([k, v]) => el('Property', [el('Name', k), el('Value', v)])))]);
}

const projectHeaders = (ctx: RequestContext): Record<string, string> => ({
  'x-odps-owner': ctx.emu.config.owner,
  'x-odps-creation-time': formatHttpDate(PROJECT_CREATED),
  'Last-Modified': formatHttpDate(PROJECT_CREATED),
});

export function registerProjectRoutes(router: Router): void {
  router.add('rest', 'GET', '/tenants', (ctx) => {
    ctx.sendJson({
      Tenant: {
        TenantId: 'emulator',
        Name: 'emulator',
        OwnerId: ctx.emu.config.owner,
        State: 'NORMAL',
        Parameters: { 'odps.namespace.schema': String(ctx.emu.config.namespaceSchema) },
      },
    });
  });

  router.add('rest', 'GET', '/projects', (ctx) => {
    const prefix = ctx.q('name') ?? '';
    const owner = ctx.q('owner');
    const names = [...ctx.emu.config.projects]
      .filter((p) => p.startsWith(prefix) && (!owner || owner === ctx.emu.config.owner))
      .sort();
    const page = paginate(ctx, names, (n) => n);
    ctx.sendXml(el('Projects', [...page.items.map((n) => projectElement(ctx, n)), el('Marker', page.marker), el('MaxItems', page.maxItems)]));
  });

  router.add('rest', 'GET', '/projects/:project', (ctx) => {
    const project = requireProject(ctx);
    if (ctx.has('extended')) return ctx.sendXml(extendedProjectElement(project), projectHeaders(ctx));
    ctx.sendXml(projectElement(ctx, project), projectHeaders(ctx));
  });
}
