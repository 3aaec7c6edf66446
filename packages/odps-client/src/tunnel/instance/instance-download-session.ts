// Instance tunnel download session (tunnel.md §7): SQL results read like a table download.
import { OdpsArgumentError } from '../../errors.js';
import { DownloadSession } from '../download/download-session.js';
import type { TunnelCommonOptions, TunnelContext } from '../session/context.js';

export interface InstanceDownloadOptions extends TunnelCommonOptions {
  /**
   * `instance_tunnel_limit_enabled`: the server caps the result at 10 000 records but needs no read
   * permission on the source tables.
   */
  limitEnabled?: boolean;
  /** Poll while INITIATING for at most this long (default 1 h). */
  waitTimeoutMs?: number;
}

export interface InstanceRef {
  project: string;
  id: string;
}

export class InstanceDownloadSession extends DownloadSession {
  readonly instance: InstanceRef;
  readonly limitEnabled: boolean;

  private constructor(ctx: TunnelContext, instance: InstanceRef, opts: InstanceDownloadOptions) {
    super({ ctx, project: instance.project, path: ['projects', instance.project, 'instances', instance.id], common: opts });
    this.instance = instance;
    this.limitEnabled = opts.limitEnabled === true;
  }

  /** `POST …/instances/<id>?downloads[&instance_tunnel_limit_enabled]`. */
  static async create(ctx: TunnelContext, instance: InstanceRef, opts: InstanceDownloadOptions = {}): Promise<InstanceDownloadSession> {
    const s = new InstanceDownloadSession(ctx, instance, opts);
    await s.createWith(s.sessionQuery(), opts.waitTimeoutMs === undefined ? {} : { waitTimeoutMs: opts.waitTimeoutMs });
    return s;
  }

  static async attach(ctx: TunnelContext, instance: InstanceRef, downloadId: string, opts: InstanceDownloadOptions = {}): Promise<InstanceDownloadSession> {
    if (!downloadId) throw new OdpsArgumentError('downloadId is required');
    const s = new InstanceDownloadSession(ctx, instance, opts);
    s.id = downloadId;
    await s.reload();
    return s;
  }

  protected sessionQuery(): Record<string, string | null | undefined> {
    return { instance_tunnel_limit_enabled: this.limitEnabled ? null : undefined };
  }

  /** PyODPS reads instance-tunnel Arrow TIMESTAMP as struct<sec,nano>; 'auto' also accepts timestamp[ns]. */
  protected override arrowTimestampLayout(): 'ns' | 'struct' | 'auto' {
    return 'auto';
  }
}
