// `POST /projects/<p>/authorization?sign_bearer_token`: issues logview bearer tokens (rest.md §4.9).
import { EmulatorHttpError } from '../errors.js';
import type { RequestContext } from '../request-context.js';
import type { Router } from '../router.js';
import { el } from '../xml.js';
import { requireProject } from './project-guard.js';

const MAX_HOURS = 24 * 365;

function bad(message: string): EmulatorHttpError {
  return new EmulatorHttpError(400, 'InvalidArgument', `ODPS-0420411:Invalid argument - ${message}`);
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
}

function signBearerToken(ctx: RequestContext): void {
  const project = requireProject(ctx);
  if (!ctx.has('sign_bearer_token')) {
    throw new EmulatorHttpError(400, 'InvalidArgument', 'ODPS-0420411:Invalid argument - the emulator supports only ?sign_bearer_token on /authorization.');
  }
  if (ctx.principal.kind === 'bearer') {
    throw new EmulatorHttpError(403, 'NoPermission', 'ODPS-0420095:Access Denied - a bearer token cannot sign further tokens.');
  }
  let body: unknown;
  try {
    body = JSON.parse(ctx.bodyText());
  } catch {
    throw bad('the sign_bearer_token body must be JSON {"expires_in_hours": n, "policy": {...}}');
  }
  const rec = (body ?? {}) as Record<string, unknown>;
  const hours = rec['expires_in_hours'] === undefined ? 720 : Number(rec['expires_in_hours']);
  if (!Number.isFinite(hours) || hours <= 0 || hours > MAX_HOURS) throw bad(`expires_in_hours must be within (0, ${MAX_HOURS}]`);
  const policy = (rec['policy'] ?? {}) as Record<string, unknown>;
  const resources: string[] = [];
  const actions: string[] = [];
  for (const st of asArray(policy['Statement'])) {
    const s = (st ?? {}) as Record<string, unknown>;
    if (s['Effect'] !== undefined && String(s['Effect']).toLowerCase() !== 'allow') continue;
    resources.push(...asArray(s['Resource']).map(String));
    actions.push(...asArray(s['Action']).map(String));
  }
  if (resources.length === 0) throw bad('the policy has no Allow statement with a Resource');
  const expiration = new Date(ctx.emu.now().getTime() + hours * 3_600_000);
  const token = ctx.emu.credentials.issueBearer({ project, resources, actions, expiration });
  ctx.sendXml(el('Authorization', el('Result', token)));
}

export function registerAuthorizationRoutes(router: Router): void {
  router.add('rest', 'POST', '/projects/:project/authorization', signBearerToken);
}
