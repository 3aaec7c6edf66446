// Client options, their defaults, environment lookup and the user-agent string.
import os from 'node:os';
import type { Dispatcher } from 'undici';
import { OdpsArgumentError } from './errors.js';
import { validateTimeZone } from './types/zoned-time.js';
import type { Account } from './http/account.js';
import type { Logger } from './http/observe.js';
import type { RetryOptions } from './http/retry.js';
import type { TimeoutOptions } from './http/transport.js';

/** Version of this client, sent in the user agent. */
export const CLIENT_VERSION = '0.1.0';

/**
 * Options of the {@link ODPS} entry object (PyODPS `ODPS(account, project, endpoint, ...)` plus its
 * `options.*` settings). Checked by the constructor: a bad project, endpoint or time zone throws
 * `OdpsArgumentError`.
 */
export interface OdpsOptions {
  /** Any @odps-ts/auth account (AliyunAccount, StsAccount, CredentialProviderAccount, ...). */
  account: Account;
  /** Default project: every request carries `curr_project=<project>`. */
  project: string;
  /** REST endpoint, e.g. `https://service.cn-hangzhou.maxcompute.aliyun.com/api`. */
  endpoint: string;
  /** Tunnel endpoint; discovered with `GET /projects/<p>/tunnel?service` when absent. */
  tunnelEndpoint?: string;
  /** Region id; passed to the signer (needed for v4 signatures) and used for Job Insight URLs. */
  region?: string;
  /** Signature version passed to the account (the account's own default applies when absent). */
  signatureVersion?: 'v2' | 'v4';
  /** Default schema in three-tier projects (adds `curr_schema` and the namespace SQL hints). */
  schema?: string;
  /** Sent as `x-odps-namespace-id` (signed). */
  namespaceId?: string;
  /** Legacy logview host; discovered with `GET /logview/host` when absent. */
  logviewHost?: string;
  /** Job Insight host; discovered with `GET /webconsole/host` when absent. */
  jobInsightHost?: string;
  /** undici dispatcher (MockAgent in tests, a ProxyAgent...). Default: an own keep-alive Agent. */
  dispatcher?: Dispatcher;
  /**
   * Retry policy, merged over the defaults (5 attempts, 200 ms base backoff doubling with jitter,
   * 30 s cap per wait, 180 s of 409 + Retry-After on instance creation). Idempotent requests are
   * retried on 429 / 5xx and transient network errors; any request whose connection never opened is
   * retried; streamed bodies never are. Expired STS credentials are refreshed and the request re-sent
   * once, a skewed clock corrected once, independently of this policy.
   */
  retry?: Partial<RetryOptions>;
  /**
   * Socket timeouts, merged over the defaults (connect 10 s, response headers 120 s, 300 s between
   * body chunks). A request that times out fails with `NetworkError` (after retries when allowed).
   * Overall deadlines are per call: pass an `AbortSignal` (`signal`) or a `timeout` where offered.
   */
  timeouts?: Partial<TimeoutOptions>;
  /** Appended to the built-in user agent. */
  userAgent?: string;
  /**
   * Receives request and response events at `debug`, retries and clock-skew corrections at `warn`.
   * Event data never holds credentials: `Authorization` and token headers are redacted. The same
   * events go to `node:diagnostics_channel` (`CHANNEL_START`, `CHANNEL_END`, `CHANNEL_RETRY`) whether
   * or not a logger is set. Default: none.
   */
  logger?: Logger;
  /** Max sockets per origin for the own Agent (default 16). */
  connections?: number;
  /** SQL settings added to every SQL instance (caller hints win). */
  defaultHints?: Record<string, string>;
  /**
   * IANA zone (e.g. `Asia/Shanghai`) of this client's SQL sessions: sent as `odps.sql.timezone` with
   * every SQL instance (as PyODPS does with `options.local_timezone`), so DATETIME text in results is
   * written and read in it. Without it, results are read in the project's `odps.sql.timezone`.
   */
  timeZone?: string;
}

const PROJECT_RE = /^[A-Za-z0-9_]{1,128}$/;

export function validateOptions(o: OdpsOptions): void {
  if (!o.account || typeof o.account.authorize !== 'function') throw new OdpsArgumentError('options.account must be an Account (has authorize())');
  if (!o.project || !PROJECT_RE.test(o.project)) throw new OdpsArgumentError(`invalid project name ${JSON.stringify(o.project)}`);
  let url: URL;
  try {
    url = new URL(o.endpoint);
  } catch {
    throw new OdpsArgumentError(`invalid endpoint ${JSON.stringify(o.endpoint)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OdpsArgumentError(`endpoint must be http(s): ${o.endpoint}`);
  if (o.timeZone !== undefined) validateTimeZone(o.timeZone);
}

/** The `x-odps-user-agent` / `User-Agent` value: client, Node.js version and platform, then `extra`. */
export function defaultUserAgent(extra?: string): string {
  const base = `odps-ts/${CLIENT_VERSION} Node.js/${process.versions.node} (${os.platform()}; ${os.arch()})`;
  return extra ? `${base} ${extra}` : base;
}

/** Options read from ODPS_ENDPOINT, ODPS_PROJECT_NAME, ODPS_TUNNEL_ENDPOINT, ODPS_REGION_NAME, ODPS_SCHEMA. */
export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): Omit<OdpsOptions, 'account'> {
  const endpoint = env['ODPS_ENDPOINT'];
  const project = env['ODPS_PROJECT_NAME'];
  const missing = [!endpoint && 'ODPS_ENDPOINT', !project && 'ODPS_PROJECT_NAME'].filter(Boolean);
  if (missing.length > 0) throw new OdpsArgumentError(`missing environment variable(s): ${missing.join(', ')}`, 'MissingConfiguration');
  const out: Omit<OdpsOptions, 'account'> = { endpoint: endpoint as string, project: project as string };
  const set = (key: 'tunnelEndpoint' | 'region' | 'schema', name: string): void => {
    const v = env[name];
    if (v) out[key] = v;
  };
  set('tunnelEndpoint', 'ODPS_TUNNEL_ENDPOINT');
  set('region', 'ODPS_REGION_NAME');
  set('schema', 'ODPS_SCHEMA');
  return out;
}
