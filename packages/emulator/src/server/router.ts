// Route table: method + path pattern -> handler; REST, tunnel, admin and public routes register here.
import type { RequestContext } from './request-context.js';

/**
 * Which path space a route lives in and therefore how its requests are authenticated:
 * - rest: under `/api`, signed against the REST endpoint `http://host:port/api`
 * - tunnel: no prefix (`/projects/...`), signed against the tunnel endpoint `http://host:port`
 * - storage: the Storage API under `/api/storage/v1` on the tunnel endpoint, signed against `http://host:port`
 * - admin: under `/_emulator`, signed with the root key, exempt from faults
 * - public: no prefix, no authentication (credentials URI, logview page)
 */
export type RouteService = 'rest' | 'tunnel' | 'storage' | 'admin' | 'public';

export const SERVICE_PREFIX: Record<RouteService, string> = {
  rest: '/api',
  tunnel: '',
  storage: '/api/storage/v1',
  admin: '/_emulator',
  public: '',
};

export type RouteHandler = (ctx: RequestContext) => Promise<void> | void;

export interface RouteOptions {
  /**
   * 'buffer' (default): the body is read up front, capped at the configured size (413 beyond).
   * 'stream': the handler reads `ctx.req` itself (tunnel uploads).
   */
  body?: 'buffer' | 'stream';
}

export interface Route {
  method: string;
  service: RouteService;
  pattern: string;
  segments: string[];
  handler: RouteHandler;
  options: RouteOptions;
}

export type RouteMatch =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'wrong-method'; allowed: string[] }
  | { kind: 'none' };

function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

export class Router {
  private readonly routes: Route[] = [];

  /**
   * Register `handler` for `method` on `pattern` inside `service`'s path space. Patterns are written
   * without the service prefix; `:name` segments capture one decoded path segment.
   * Example: `router.add('rest', 'GET', '/projects/:project/tables/:table', handler)`.
   */
  add(service: RouteService, method: string, pattern: string, handler: RouteHandler, options: RouteOptions = {}): void {
    const full = SERVICE_PREFIX[service] + pattern;
    this.routes.push({ method: method.toUpperCase(), service, pattern: full, segments: splitPath(full), handler, options });
  }

  /** `segments` are already percent-decoded. */
  match(method: string, segments: string[]): RouteMatch {
    const allowed: string[] = [];
    for (const route of this.routes) {
      const params = matchSegments(route.segments, segments);
      if (!params) continue;
      if (route.method === method || (method === 'HEAD' && route.method === 'GET')) {
        return { kind: 'found', route, params };
      }
      allowed.push(route.method);
    }
    return allowed.length > 0 ? { kind: 'wrong-method', allowed } : { kind: 'none' };
  }

  /** Which service a path belongs to, for authenticating requests that match no route. */
  serviceOf(segments: string[]): RouteService {
    // The Storage API lives on the tunnel endpoint but under /api: it must be told apart from REST.
    if (segments[0] === 'api' && segments[1] === 'storage') return 'storage';
    if (segments[0] === 'api') return 'rest';
    if (segments[0] === '_emulator') return 'admin';
    if (segments[0] === 'projects') return 'tunnel';
    return 'public';
  }
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] as string;
    const a = actual[i] as string;
    if (p.startsWith(':')) params[p.slice(1)] = a;
    else if (p !== a) return undefined;
  }
  return params;
}
