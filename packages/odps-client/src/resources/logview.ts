// Logview: bearer-token URLs for the legacy logview, Job Insight URLs, and host discovery.
import { OdpsArgumentError, OdpsError } from '../errors.js';
import { encodeQuery } from '../http/encode.js';
import { childText, xmlChild } from '../http/xml.js';
import type { CallOptions, OdpsContext } from './context.js';
import { requestXml } from './request.js';

export const DEFAULT_LOGVIEW_HOST = 'http://logview.aliyun.com';
export const DEFAULT_JOB_INSIGHT_HOST = 'https://maxcompute.console.aliyun.com';
/** PyODPS default token lifetime: 30 days. */
export const DEFAULT_LOGVIEW_HOURS = 720;

export interface LogviewOptions extends CallOptions {
  /** Token lifetime in hours (default 720). */
  hours?: number;
  /** Build a Job Insight URL (needs the client's `region`) instead of a legacy logview URL. */
  jobInsight?: boolean;
}

export interface LogviewTarget {
  readonly id: string;
  readonly project: string;
}

const hostCache = new WeakMap<OdpsContext, Map<string, Promise<string>>>();

async function discoverHost(ctx: OdpsContext, path: string[], fallback: string, signal: AbortSignal | undefined): Promise<string> {
  let cache = hostCache.get(ctx);
  if (!cache) hostCache.set(ctx, (cache = new Map()));
  const key = path.join('/');
  let p = cache.get(key);
  if (!p) {
    p = (async () => {
      try {
        const res = await ctx.transport.request({ method: 'GET', path, signal });
        const host = (await res.text({ maxBytes: 64 * 1024 })).trim();
        return /^https?:\/\//.test(host) ? host.replace(/\/+$/, '') : fallback;
      } catch (err) {
        if (signal?.aborted) throw err;
        return fallback;
      }
    })();
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

/** Legacy logview host: option, `GET /logview/host`, or http://logview.aliyun.com. */
export function logviewHost(ctx: OdpsContext, signal?: AbortSignal): Promise<string> {
  if (ctx.options.logviewHost) return Promise.resolve(ctx.options.logviewHost.replace(/\/+$/, ''));
  return discoverHost(ctx, ['logview', 'host'], DEFAULT_LOGVIEW_HOST, signal);
}

/** Job Insight host: option, `GET /webconsole/host`, or the console default. */
export function jobInsightHost(ctx: OdpsContext, signal?: AbortSignal): Promise<string> {
  if (ctx.options.jobInsightHost) return Promise.resolve(ctx.options.jobInsightHost.replace(/\/+$/, ''));
  return discoverHost(ctx, ['webconsole', 'host'], DEFAULT_JOB_INSIGHT_HOST, signal);
}

/** A read-only bearer token for one instance (`POST authorization?sign_bearer_token`). */
export async function createLogviewToken(ctx: OdpsContext, target: LogviewTarget, options: { hours?: number; signal?: AbortSignal } = {}): Promise<string> {
  const hours = options.hours ?? DEFAULT_LOGVIEW_HOURS;
  if (!Number.isFinite(hours) || hours <= 0) throw new OdpsArgumentError(`logview hours must be positive, got ${hours}`);
  const policy = {
    expires_in_hours: hours,
    policy: { Statement: [{ Action: ['odps:Read'], Effect: 'Allow', Resource: `acs:odps:*:projects/${target.project}/instances/${target.id}` }], Version: '1' },
  };
  const { doc } = await requestXml(ctx, {
    method: 'POST', path: ['projects', target.project, 'authorization'], query: { sign_bearer_token: null },
    headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(policy),
    // Signing a token has no lasting side effect, so retrying it is safe.
    idempotent: true, signal: options.signal,
  });
  const token = childText(xmlChild(doc, 'Authorization'), 'Result');
  if (!token) throw new OdpsError('logview token answer has no Authorization/Result', { code: 'InvalidResponse' });
  return token;
}

/** Legacy: `<host>/logview/?h=<endpoint>&p=<project>&i=<id>&token=<token>`; Job Insight: `<host>/<region>/job-insights?h&p&i`. */
export async function logviewUrl(ctx: OdpsContext, target: LogviewTarget, options: LogviewOptions = {}): Promise<string> {
  const common = { h: ctx.endpoint, p: target.project, i: target.id };
  if (options.jobInsight) {
    const region = ctx.options.region;
    if (!region) throw new OdpsArgumentError('a Job Insight URL needs the client option `region`');
    return `${await jobInsightHost(ctx, options.signal)}/${encodeURIComponent(region)}/job-insights${encodeQuery(common)}`;
  }
  const host = await logviewHost(ctx, options.signal);
  const tokenOptions: { hours?: number; signal?: AbortSignal } = {};
  if (options.hours !== undefined) tokenOptions.hours = options.hours;
  if (options.signal) tokenOptions.signal = options.signal;
  const token = await createLogviewToken(ctx, target, tokenOptions);
  return `${host}/logview/${encodeQuery({ ...common, token })}`;
}
