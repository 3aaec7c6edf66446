// Tunnel endpoint discovery: `GET /projects/<p>/tunnel?service[&quotaName=]`, cached per project+quota.
import { OdpsError } from '../errors.js';
import type { ClientContext, ProjectScoped } from './context.js';

export interface TunnelEndpointOptions extends ProjectScoped {
  /** Quota nickname; the server may route it to another tunnel host. */
  quotaName?: string;
}

export class TunnelEndpoints {
  private readonly cache = new Map<string, Promise<string>>();

  constructor(private readonly ctx: ClientContext, private readonly configured?: string) {}

  /**
   * The configured tunnel endpoint, or the one the service names for this project (and quota). An explicit
   * endpoint wins even with a quota: a quota only changes which host discovery names.
   */
  resolve(options: TunnelEndpointOptions = {}): Promise<string> {
    if (this.configured) return Promise.resolve(this.configured.replace(/\/+$/, ''));
    const project = options.project ?? this.ctx.project;
    const key = `${project}\u0000${options.quotaName ?? ''}`;
    let p = this.cache.get(key);
    if (!p) {
      p = this.discover(project, options);
      this.cache.set(key, p);
      // Failures are not cached: the next call asks again.
      p.catch(() => this.cache.delete(key));
    }
    return p;
  }

  private async discover(project: string, options: TunnelEndpointOptions): Promise<string> {
    const res = await this.ctx.transport.request({
      method: 'GET', path: ['projects', project, 'tunnel'], query: { service: null, quotaName: options.quotaName }, signal: options.signal,
    });
    const host = (await res.text({ maxBytes: 64 * 1024 })).trim();
    if (!host) throw new OdpsError(`tunnel endpoint discovery for ${project} returned an empty body`, { code: 'InvalidResponse' });
    if (/^https?:\/\//i.test(host)) return host.replace(/\/+$/, '');
    // The body is a bare host name: use the service endpoint's scheme.
    const scheme = new URL(this.ctx.endpoint).protocol;
    return `${scheme}//${host.replace(/\/+$/, '')}`;
  }
}
