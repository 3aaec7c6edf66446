// What a logview bearer token may do: read the instances its policy names, nothing else.
import type { BearerGrant } from './principal.js';

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

/** `acs:odps:<region>:projects/p/instances/i` -> `projects/p/instances/i` */
function resourcePath(resource: string): string {
  const parts = resource.split(':');
  return parts.length >= 4 ? parts.slice(3).join(':') : resource;
}

/**
 * `segments` are the request's decoded path segments without the service prefix
 * (`projects, p, instances, id, ...`). Only reads are allowed (GET/HEAD; plus the instance-tunnel
 * download session POST, which reads results).
 */
export function bearerMayAccess(grant: BearerGrant, method: string, segments: string[], query: Map<string, string>): boolean {
  const isRead = method === 'GET' || method === 'HEAD' || (method === 'POST' && query.has('downloads'));
  if (!isRead) return false;
  if (!grant.actions.some((a) => /^odps:(Read|\*)$/i.test(a) || a === '*')) return false;
  if (segments[0] !== 'projects' || segments[2] !== 'instances' || segments.length < 4) return false;
  const target = `projects/${segments[1]}/instances/${segments[3]}`;
  return grant.resources.some((r) => globToRegExp(resourcePath(r)).test(target));
}
