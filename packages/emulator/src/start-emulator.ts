// startEmulator(): builds the engine and state, listens on loopback, returns addresses and controls.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { validateTimeZone } from '@odps-ts/odps-client';
import type { Engine } from './engine/types.js';
import { CredentialStore } from './server/auth/credential-store.js';
import type { EmulatorConfig, EmulatorContext, EmulatorUrls } from './server/context.js';
import { FaultController } from './server/faults/fault-controller.js';
import { HostPolicy, isLoopbackHost, type AllowedHosts } from './server/host-check.js';
import { InstanceStore } from './server/instances/instance-store.js';
import { costJson, estimateCost } from './server/instances/sql-cost.js';
import { Registry } from './server/registry/registry.js';
import { completeLogger, type EmulatorLogger } from './server/logger.js';
import { createRequestListener } from './server/request-handler.js';
import { buildRouter } from './server/routes/index.js';

export const DEFAULT_ACCESS_KEY_ID = 'emulator-access-id';
export const DEFAULT_ACCESS_KEY_SECRET = 'emulator-access-key';
export const DEFAULT_PROJECT = 'demo';
export const DEFAULT_OWNER = 'ALIYUN$emulator@localhost';

export interface StartEmulatorOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Address to bind; default 127.0.0.1 (loopback only). */
  host?: string;
  /** Directory for the engine's database; in memory when absent. */
  dataDir?: string;
  /** Project name served (default 'demo'). */
  project?: string;
  /** Further project names served besides `project`. */
  extraProjects?: string[];
  /** Root AccessKey pair accepted by the emulator (defaults DEFAULT_ACCESS_KEY_ID / _SECRET). */
  accessKeyId?: string;
  accessKeySecret?: string;
  /** Owner shown for tables, projects and instances. */
  owner?: string;
  /** Seed the demo tables into the project (default true; only for the engine the emulator creates). */
  seed?: boolean;
  /** Default page size of marker-paged listings (default 100). */
  pageSize?: number;
  /** Lifetime of STS credentials issued by the credentials URI (default 3600 s). */
  stsLifetimeSeconds?: number;
  /** How long `?instancestatus` blocks waiting for termination (default 2000 ms). */
  longPollMs?: number;
  /** Largest accepted request body of buffered routes (default 10 MiB). */
  maxBodyBytes?: number;
  /** Inline `?result` row cap (default 10000). */
  maxResultRows?: number;
  /**
   * Host header names answered besides localhost, 127.0.0.1, [::1] and the bound host (others get
   * 421); 'any' turns the check off. Needed when clients reach a non-loopback bind by another name.
   */
  allowedHosts?: AllowedHosts;
  /**
   * Longest one SQL instance may hold the engine (default 300000 ms = 5 min); a longer query is
   * interrupted and its instance fails. Only for the engine the emulator creates.
   */
  maxQueryMs?: number;
  /** Project time zone, an IANA name (default 'UTC'): the zone of DATETIME text in CSV answers. */
  timeZone?: string;
  /** Turn the three-tier model on (`odps.namespace.schema=true`; default false): schemas can be created. */
  namespaceSchema?: boolean;
  /** Use this engine instead of creating one (it is not closed by `close()`). */
  engine?: Engine;
  logger?: Partial<EmulatorLogger>;
}

export interface Emulator {
  /** REST endpoint, `http://127.0.0.1:<port>/api`. */
  endpoint: string;
  /** Tunnel endpoint, `http://127.0.0.1:<port>` (same server; tunnel paths have no /api). */
  tunnelEndpoint: string;
  /** Credentials URI issuing rotating STS triples, `http://127.0.0.1:<port>/credentials`. */
  credentialsUri: string;
  /** Admin base, `http://127.0.0.1:<port>/_emulator` (root-signed requests). */
  adminUrl: string;
  host: string;
  port: number;
  accessKeyId: string;
  accessKeySecret: string;
  project: string;
  engine: Engine;
  faults: FaultController;
  /** Stop listening, drop connections, close the engine (if the emulator created it). */
  close(): Promise<void>;
}

async function defaultEngine(options: StartEmulatorOptions, owner: string, project: string): Promise<Engine> {
  const mod = await import('./engine/index.js');
  const engine = await mod.createEngine({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    ...(options.maxQueryMs !== undefined ? { maxQueryMs: options.maxQueryMs } : {}),
    defaultOwner: owner,
  });
  if (options.seed ?? true) await mod.seedDemo(engine, project);
  return engine;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`startEmulator: ${name} must be a positive number, got ${value}`);
  return value;
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    });
  });
}

function urlHost(host: string, port: number): string {
  // A wildcard bind is reached through loopback; IPv6 literals need brackets.
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return reachable.includes(':') ? `[${reachable}]:${port}` : `${reachable}:${port}`;
}

/** What binding to a non-loopback address exposes. */
export function exposureWarning(host: string, port: number, credentialsUri: string): string {
  return (
    `WARNING: odps-emulator is listening on ${host}:${port}, which is not a loopback address. ` +
    `Its credentials URI (${credentialsUri}) is unauthenticated: anyone who can reach port ${port} can get ` +
    'working credentials and read, change or delete every table. Bind to 127.0.0.1 unless you need remote clients.'
  );
}

export async function startEmulator(options: StartEmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`startEmulator: port must be 0-65535, got ${port}`);
  const project = options.project ?? DEFAULT_PROJECT;
  const owner = options.owner ?? DEFAULT_OWNER;
  const accessKeyId = options.accessKeyId ?? DEFAULT_ACCESS_KEY_ID;
  const accessKeySecret = options.accessKeySecret ?? DEFAULT_ACCESS_KEY_SECRET;
  if (!accessKeyId || !accessKeySecret) throw new TypeError('startEmulator: accessKeyId and accessKeySecret must be non-empty');
  const config: EmulatorConfig = {
    projects: [project, ...(options.extraProjects ?? []).filter((p) => p !== project)],
    accessKeyId,
    accessKeySecret,
    owner,
    pageSize: Math.floor(positive('pageSize', options.pageSize, 100)),
    stsLifetimeSeconds: positive('stsLifetimeSeconds', options.stsLifetimeSeconds, 3600),
    longPollMs: positive('longPollMs', options.longPollMs, 2000),
    maxBodyBytes: positive('maxBodyBytes', options.maxBodyBytes, 10 * 1024 * 1024),
    maxClockSkewMs: 15 * 60 * 1000,
    maxResultRows: Math.floor(positive('maxResultRows', options.maxResultRows, 10_000)),
    timeZone: options.timeZone === undefined ? 'UTC' : validateTimeZone(options.timeZone),
    namespaceSchema: options.namespaceSchema ?? false,
  };
  const logger = completeLogger(options.logger);
  const ownsEngine = options.engine === undefined;
  const engine = options.engine ?? (await defaultEngine(options, owner, project));

  // The clock reads the skew fault; credentials need the clock and faults need the credentials.
  const holder: { faults?: FaultController } = {};
  const now = () => new Date(Date.now() + (holder.faults?.clockSkewMs ?? 0));
  const credentials = new CredentialStore(accessKeyId, accessKeySecret, now);
  const faults = new FaultController(() => credentials.expireAllSts());
  holder.faults = faults;
  let registry: Registry;
  try {
    registry = new Registry(now, options.dataDir);
  } catch (err) {
    if (ownsEngine) await engine.close();
    throw err;
  }
  const pending: EmulatorUrls = { base: '', rest: '', tunnel: '', tunnelHost: '' };
  let boundPort = port;
  const emu: EmulatorContext = {
    config,
    engine,
    credentials,
    faults,
    instances: new InstanceStore(engine, now, logger, config.maxResultRows, config.namespaceSchema, {
      functions: (p) => registry.functions.lookup(p),
      estimateCost: async (p, query, schema) => costJson(await estimateCost(engine, p, query, schema, registry.functions.lookup(p))),
    }),
    registry,
    logger,
    hosts: new HostPolicy(host, options.allowedHosts, () => boundPort),
    urls: pending,
    now,
    resetHooks: [],
  };
  const server = createServer({ keepAliveTimeout: 5000 }, createRequestListener(emu, buildRouter(emu)));
  let address: AddressInfo;
  try {
    address = await listen(server, port, host);
  } catch (err) {
    if (ownsEngine) await engine.close();
    throw err;
  }
  boundPort = address.port;
  const hostPort = urlHost(host, address.port);
  const base = `http://${hostPort}`;
  emu.urls = { base, rest: `${base}/api`, tunnel: base, tunnelHost: hostPort };
  logger.info('emulator listening', { endpoint: emu.urls.rest, project });
  if (!isLoopbackHost(host)) {
    const warning = exposureWarning(host, address.port, `${base}/credentials`);
    // The warning must be seen: without a logger it goes straight to stderr.
    if (options.logger) logger.warn(warning, {});
    else process.stderr.write(`${warning}\n`);
  }

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      emu.instances.reset();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      if (ownsEngine) await engine.close();
      logger.info('emulator stopped', {});
    })();
    return closing;
  };

  return {
    endpoint: emu.urls.rest,
    tunnelEndpoint: emu.urls.tunnel,
    credentialsUri: `${base}/credentials`,
    adminUrl: `${base}/_emulator`,
    host,
    port: address.port,
    accessKeyId,
    accessKeySecret,
    project,
    engine,
    faults,
    close,
  };
}
