// The ODPS client: a thin face over the transport and the resource collections.
import { CredentialProviderAccount } from '@odps-ts/auth';
import { defaultUserAgent, optionsFromEnv, validateOptions, type OdpsOptions } from './config.js';
import { Transport } from './http/transport.js';
import type { OdpsContext } from './resources/context.js';
import { runSql, type RunSqlOptions } from './resources/instance-create.js';
import type { Instance } from './resources/instance.js';
import type { SqlFragment } from './sql/params.js';
import type { WaitOptions } from './resources/instance-wait.js';
import { Instances } from './resources/instances.js';
import { logviewUrl, type LogviewOptions } from './resources/logview.js';
import { Functions } from './resources/functions.js';
import { Quotas } from './resources/quotas.js';
import { Projects } from './resources/projects.js';
import { Resources } from './resources/resources.js';
import { estimateSqlCost, type EstimateSqlCostOptions, type SqlCost } from './resources/sql-cost.js';
import { Schemas } from './resources/schemas.js';
import { Tables } from './resources/tables.js';
import { Storage } from './storage/storage.js';
import { TunnelEndpoints, type TunnelEndpointOptions } from './core/tunnel-endpoint.js';

/** Options of {@link ODPS.executeSql}: those of `runSql` plus the waiting ones (timeout, poll interval...). */
export type ExecuteSqlOptions = RunSqlOptions & Omit<WaitOptions, 'signal'>;

/**
 * The entry object, PyODPS `ODPS`: one per account + project + endpoint. It owns a keep-alive
 * connection pool (unless `options.dispatcher` is given), so call {@link ODPS.close} when done.
 *
 * ```ts
 * const odps = new ODPS({ account: new CredentialProviderAccount(), project: 'p', endpoint: 'https://service.cn-hangzhou.maxcompute.aliyun.com/api' });
 * ```
 */
export class ODPS implements OdpsContext {
  /** The signed, retrying HTTP layer every resource call goes through. */
  readonly transport: Transport;
  /** Default project of every call (PyODPS `o.project`). */
  readonly project: string;
  /** Default schema in three-tier projects, when configured. */
  readonly schema?: string;
  /** REST endpoint, without trailing slashes. */
  readonly endpoint: string;
  /** The options given to the constructor (frozen copy). */
  readonly options: Readonly<OdpsOptions>;
  /** PyODPS list_tables / get_table / exist_table / create_table / delete_table. */
  readonly tables: Tables;
  /** PyODPS list_schemas / get_schema / exist_schema. */
  readonly schemas: Schemas;
  /** PyODPS get_project / exist_project. */
  readonly projects: Projects;
  /** PyODPS list_instances / get_instance / exist_instance. */
  readonly instances: Instances;
  /** PyODPS list_resources / get_resource / exist_resource / create_resource / open_resource / delete_resource. */
  readonly resources: Resources;
  /** PyODPS list_functions / get_function / exist_function / create_function / delete_function. */
  readonly functions: Functions;
  /** PyODPS list_quotas / get_quota / exist_quota. */
  readonly quotas: Quotas;
  /** PyODPS `StorageApiArrowClient`: Storage API read sessions and split reads (Arrow). */
  readonly storage: Storage;
  private readonly tunnels: TunnelEndpoints;

  /**
   * Checks the options and builds the collections; sends nothing (the first request does).
   * @throws OdpsArgumentError when `account`, `project`, `endpoint` or `timeZone` is invalid.
   */
  constructor(options: OdpsOptions) {
    validateOptions(options);
    this.options = Object.freeze({ ...options });
    this.project = options.project;
    if (options.schema) this.schema = options.schema;
    this.endpoint = options.endpoint.replace(/\/+$/, '');
    this.tunnels = new TunnelEndpoints(this, options.tunnelEndpoint);
    this.transport = new Transport({
      account: options.account,
      endpoint: this.endpoint,
      project: options.project,
      resolveTunnelEndpoint: (signal) => this.tunnelEndpoint(signal ? { signal } : {}),
      userAgent: defaultUserAgent(options.userAgent),
      ...pick(options, ['signatureVersion', 'region', 'namespaceId', 'dispatcher', 'retry', 'timeouts', 'logger', 'connections']),
    });
    this.tables = new Tables(this);
    this.schemas = new Schemas(this);
    this.projects = new Projects(this);
    this.instances = new Instances(this);
    this.resources = new Resources(this);
    this.functions = new Functions(this);
    this.quotas = new Quotas(this);
    this.storage = new Storage(this);
  }

  /**
   * Options from ODPS_ENDPOINT, ODPS_PROJECT_NAME, ODPS_TUNNEL_ENDPOINT, ODPS_REGION_NAME, ODPS_SCHEMA;
   * credentials from CredentialProviderAccount's default chain unless `overrides.account` is given.
   * @throws OdpsArgumentError (code `MissingConfiguration`) when ODPS_ENDPOINT or ODPS_PROJECT_NAME is unset.
   */
  static fromEnv(overrides: Partial<OdpsOptions> = {}, env: NodeJS.ProcessEnv = process.env): ODPS {
    const fromEnv = optionsFromEnv(env);
    return new ODPS({ ...fromEnv, ...overrides, account: overrides.account ?? new CredentialProviderAccount() });
  }

  /** PyODPS `run_sql`: submit and return the Instance (leading `SET k=v;` lines become hints). */
  runSql(sql: string | SqlFragment, options: RunSqlOptions = {}): Promise<Instance> {
    return runSql(this, sql, options);
  }

  /** PyODPS `execute_sql`: submit and wait for success (SqlError when it fails). */
  async executeSql(sql: string | SqlFragment, options: ExecuteSqlOptions = {}): Promise<Instance> {
    const instance = await this.runSql(sql, options);
    const wait: WaitOptions = pick(options, ['timeout', 'onProgress', 'pollInterval']);
    if (options.signal) wait.signal = options.signal;
    return instance.waitForSuccess(wait);
  }

  /** PyODPS `execute_sql_cost`: input bytes, complexity and UDF count of a query (`SQLCost` task). */
  estimateSqlCost(sql: string | SqlFragment, options: EstimateSqlCostOptions = {}): Promise<SqlCost> {
    return estimateSqlCost(this, sql, options);
  }

  /** The tunnel endpoint: configured, or discovered per project (and quota) and cached. */
  tunnelEndpoint(options: TunnelEndpointOptions = {}): Promise<string> {
    return this.tunnels.resolve(options);
  }

  /** PyODPS `get_logview_address`. */
  logviewUrl(instance: Instance | string, options: LogviewOptions = {}): Promise<string> {
    const target = typeof instance === 'string' ? { id: instance, project: this.project } : instance;
    return logviewUrl(this, target, options);
  }

  /** Release the own connection pool (an injected dispatcher is left open). */
  close(): Promise<void> {
    return this.transport.close();
  }
}

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
