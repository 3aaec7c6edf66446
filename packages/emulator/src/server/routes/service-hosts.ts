// Host discovery texts: logview and Job Insight hosts (rest.md §2), plus a tiny logview page.
import type { RequestContext } from '../request-context.js';
import type { Router } from '../router.js';
import { escapeXml } from '../xml.js';
import { projectExists } from './project-guard.js';

function logviewPage(ctx: RequestContext): void {
  const project = ctx.q('p') ?? '';
  const id = ctx.q('i') ?? '';
  const token = ctx.q('token');
  const grant = token ? ctx.emu.credentials.lookupBearer(token) : undefined;
  const inst = projectExists(ctx.emu, project) ? ctx.emu.instances.get(project, id) : undefined;
  const valid = grant && grant.expiration.getTime() > ctx.emu.now().getTime() && grant.project === project;
  if (!inst || !valid) {
    ctx.send(404, '<!doctype html><title>logview</title><p>Unknown instance or invalid token.</p>', 'text/html; charset=utf-8');
    return;
  }
  const rows = inst.tasks
    .map((t) => `<tr><td>${escapeXml(t.spec.name)}</td><td>${escapeXml(t.status)}</td><td><pre>${escapeXml(t.spec.query)}</pre></td><td><pre>${escapeXml(t.error ?? '')}</pre></td></tr>`)
    .join('');
  const html = `<!doctype html><meta charset="utf-8"><title>logview ${escapeXml(inst.id)}</title>
<h1>Instance ${escapeXml(inst.id)}</h1><p>Project ${escapeXml(project)} &middot; ${escapeXml(inst.status)}</p>
<table border="1"><tr><th>Task</th><th>Status</th><th>Query</th><th>Error</th></tr>${rows}</table>`;
  ctx.send(200, html, 'text/html; charset=utf-8');
}

export function registerServiceHostRoutes(router: Router): void {
  router.add('rest', 'GET', '/logview/host', (ctx) => ctx.sendText(ctx.emu.urls.base));
  router.add('rest', 'GET', '/webconsole/host', (ctx) => ctx.sendText(ctx.emu.urls.base));
  router.add('public', 'GET', '/logview', logviewPage);
}
