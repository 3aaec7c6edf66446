// State shared by every request of one emulator: configuration, engine, credentials, faults, instances.
import type { Engine } from '../engine/types.js';
import type { CredentialStore } from './auth/credential-store.js';
import type { FaultController } from './faults/fault-controller.js';
import type { HostPolicy } from './host-check.js';
import type { InstanceStore } from './instances/instance-store.js';
import type { EmulatorLogger } from './logger.js';
import type { Registry } from './registry/registry.js';

export interface EmulatorConfig {
  /** The project(s) this emulator serves; the first is the default. */
  projects: string[];
  accessKeyId: string;
  accessKeySecret: string;
  /** Owner string shown for tables, projects and instances, e.g. `ALIYUN$emulator@localhost`. */
  owner: string;
  /** Page size of marker-paged listings when the client sends no `maxitems`. */
  pageSize: number;
  /** Lifetime of STS credentials issued at `/credentials`. */
  stsLifetimeSeconds: number;
  /** How long `GET instance?instancestatus` waits for the instance to terminate. */
  longPollMs: number;
  /** Request bodies larger than this are answered 413 (buffered routes only). */
  maxBodyBytes: number;
  /** Allowed distance between the request `Date` and the server clock (rest.md §1.1: 15 min). */
  maxClockSkewMs: number;
  /** Inline SQL results are capped at this many rows (rest.md §4.4). */
  maxResultRows: number;
  /** IANA zone of the projects (`odps.sql.timezone`): DATETIME text in `?result` and `?data` CSV is written in it. */
  timeZone: string;
  /** Three-tier model on (`odps.namespace.schema=true`): schemas can be created and dropped. */
  namespaceSchema: boolean;
}

/** Addresses known once the server listens. */
export interface EmulatorUrls {
  /** `http://host:port` */
  base: string;
  /** `http://host:port/api` */
  rest: string;
  /** `http://host:port` (tunnel paths carry no /api prefix) */
  tunnel: string;
  /** `host:port`, the bare text tunnel discovery answers */
  tunnelHost: string;
}

export interface EmulatorContext {
  readonly config: EmulatorConfig;
  readonly engine: Engine;
  readonly credentials: CredentialStore;
  readonly faults: FaultController;
  readonly instances: InstanceStore;
  /** Resources and functions of the projects (persisted with the data directory). */
  readonly registry: Registry;
  readonly logger: EmulatorLogger;
  /** Which Host headers are answered (DNS rebinding guard). */
  readonly hosts: HostPolicy;
  urls: EmulatorUrls;
  /** The server clock, including any clock-skew fault. */
  now(): Date;
  /** Called by `POST /_emulator/reset` (e.g. the tunnel routes drop their sessions here). */
  readonly resetHooks: (() => void)[];
}
