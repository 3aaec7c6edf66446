// What the tunnel and Storage API layers need from the client: transport, project, endpoint and options.
// Kept below `resources/` and `tunnel/` so neither has to import the other for it.
import type { OdpsOptions } from '../config.js';
import type { Transport } from '../http/transport.js';

export interface ClientContext {
  readonly transport: Transport;
  readonly project: string;
  readonly schema?: string;
  readonly endpoint: string;
  readonly options: Readonly<OdpsOptions>;
}

/** Per-call overrides accepted by most resource methods. */
export interface CallOptions {
  signal?: AbortSignal;
}

export interface ProjectScoped extends CallOptions {
  /** Another project than the client's default. */
  project?: string;
}

export interface SchemaScoped extends ProjectScoped {
  /** Schema in a three-tier project; default: the client's schema. */
  schema?: string;
}
