// What a tunnel session needs from the client: the resource context plus optional endpoint discovery.
import type { ClientContext } from '../../core/context.js';
import type { TunnelEndpointOptions } from '../../core/tunnel-endpoint.js';

/** The ODPS object satisfies this; `tunnelEndpoint` lets a session discover per project and quota. */
export interface TunnelContext extends ClientContext {
  tunnelEndpoint?(options?: TunnelEndpointOptions): Promise<string>;
}

/** Options shared by every tunnel session. */
export interface TunnelCommonOptions {
  signal?: AbortSignal;
  /** Tunnel quota nickname: discovery asks for it and every request carries `quotaName`. */
  quotaName?: string;
  /** Tunnel endpoint to use instead of the configured/discovered one. */
  tunnelEndpoint?: string;
  /** Extra `odps-tunnel-tags` (comma-joined). */
  tags?: string[];
}
