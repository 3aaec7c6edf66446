// What every resource needs from the client: the transport, the defaults, and SQL execution for DDL.
import type { OdpsOptions } from '../config.js';
import type { Transport } from '../http/transport.js';
import type { Instance } from './instance.js';
import type { RunSqlOptions } from './instance-create.js';

export interface OdpsContext {
  readonly transport: Transport;
  readonly project: string;
  readonly schema?: string;
  readonly endpoint: string;
  readonly options: Readonly<OdpsOptions>;
  runSql(sql: string, options?: RunSqlOptions): Promise<Instance>;
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
