// Computing quotas (WLM) visible to a project: list (`GET /quotas`, marker paging) and get one by nickname.
import { NoSuchObjectError } from '../errors.js';
import { childText, xmlChild, xmlChildren, type XmlNode } from '../http/xml.js';
import { validateName } from '../sql/quote.js';
import type { CallOptions, OdpsContext } from './context.js';
import { paginate } from './paging.js';
import { existsBy, parseIntOr, requestXml } from './request.js';

/** `version=wlm`: the quota model PyODPS `Quota.VERSION` asks for. */
const QUOTA_VERSION = 'wlm';

export interface Quota {
  /** The name SQL hints and tunnel `quotaName=` use. */
  nickname: string;
  name?: string;
  id?: string;
  cluster?: string;
  /** `ON`, `OFF`, `INITIALIZING`, `ABNORMAL`. */
  status?: string;
  isEnabled?: boolean;
  /** `FUXI_OFFLINE`, `FUXI_ONLINE`, `FUXI_STANDALONE`, `FUXI_VW`. */
  resourceSystemType?: string;
  /** CPU in units of 1/100 core, memory in MB, as the service reports them. */
  cpu?: number;
  minCpu?: number;
  elasticCpuMax?: number;
  memory?: number;
  minMemory?: number;
  elasticMemoryMax?: number;
  gpu?: number;
  strategy?: string;
  schedulerType?: string;
  parentNickname?: string;
  tenantId?: string;
  region?: string;
  creationTime?: Date;
  lastModifiedTime?: Date;
  /** The decoded `Properties` JSON. */
  properties?: Record<string, unknown>;
}

export interface QuotaScope extends CallOptions {
  /** Region id (`region=`); default: the project's. */
  region?: string;
}

export interface ListQuotasOptions extends QuotaScope {
  pageSize?: number;
}

function json(text: string | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Field names of PyODPS odps/models/quota.py. */
function parseQuota(q: XmlNode, fallback: string): Quota {
  const out: Quota = { nickname: childText(q, 'Nickname') || fallback };
  const set = <K extends keyof Quota>(k: K, v: Quota[K] | undefined): void => {
    if (v !== undefined && (v as unknown) !== '') out[k] = v;
  };
  const num = (tag: string): number | undefined => parseIntOr(childText(q, tag));
  const bool = (tag: string): boolean | undefined => {
    const t = childText(q, tag);
    return t ? t.toLowerCase() === 'true' : undefined;
  };
  const ms = (tag: string): Date | undefined => {
    const n = num(tag);
    return n === undefined ? undefined : new Date(n);
  };
  set('name', childText(q, 'Name'));
  set('id', childText(q, 'ID'));
  set('cluster', childText(q, 'Cluster'));
  set('status', childText(q, 'Status'));
  set('isEnabled', bool('IsEnabled'));
  set('resourceSystemType', childText(q, 'ResourceSystemType'));
  set('cpu', num('CPU'));
  set('minCpu', num('MinCPU'));
  set('elasticCpuMax', num('ElasticCPUMax'));
  set('memory', num('Memory'));
  set('minMemory', num('MinMemory'));
  set('elasticMemoryMax', num('ElasticMemoryMax'));
  set('gpu', num('GPU'));
  set('strategy', childText(q, 'Strategy'));
  set('schedulerType', childText(q, 'SchedulerType'));
  set('parentNickname', childText(q, 'ParentNickname'));
  set('tenantId', childText(q, 'TenantId'));
  set('region', childText(q, 'Region'));
  set('creationTime', ms('CreateTimeMs'));
  set('lastModifiedTime', ms('LastModifiedTimeMs'));
  set('properties', json(childText(q, 'Properties')));
  return out;
}

export class Quotas {
  constructor(private readonly ctx: OdpsContext) {}

  private query(o: QuotaScope): Record<string, string | undefined> {
    return { project: this.ctx.project, version: QUOTA_VERSION, region: o.region };
  }

  /** PyODPS `list_quotas` (`GET /quotas?expectmarker=true&version=wlm&project=<p>`), across all pages. */
  list(options: ListQuotasOptions = {}): AsyncGenerator<Quota, void, undefined> {
    return paginate('quotas', async (marker) => {
      const query = { expectmarker: 'true', ...this.query(options), marker, maxitems: options.pageSize?.toString() };
      const { doc } = await requestXml(this.ctx, { method: 'GET', path: ['quotas'], query, signal: options.signal });
      const root = xmlChild(doc, 'Quotas') ?? {};
      return { items: xmlChildren(root, 'Quota').map((q) => parseQuota(q, '')), marker: childText(root, 'Marker') };
    }, options.signal);
  }

  /** PyODPS `get_quota(nickname)`: `GET /quotas/<nickname>?project=<p>&version=wlm`. */
  async get(nickname: string, options: QuotaScope = {}): Promise<Quota> {
    validateName(nickname, 'quota nickname');
    const { doc } = await requestXml(this.ctx, { method: 'GET', path: ['quotas', nickname], query: this.query(options), signal: options.signal });
    const q = xmlChild(doc, 'Quota');
    if (!q) throw new NoSuchObjectError(`quota ${nickname} not found (empty answer)`, { code: 'NoSuchQuota' });
    return parseQuota(q, nickname);
  }

  /** PyODPS `exist_quota`. */
  exists(nickname: string, options: QuotaScope = {}): Promise<boolean> {
    return existsBy(() => this.get(nickname, options));
  }
}
