// Instances of a project: list (async iterable, marker paging) and handles by id.
import { OdpsError } from '../errors.js';
import { childText, xmlChild, xmlChildren } from '../http/xml.js';
import type { OdpsContext, ProjectScoped } from './context.js';
import { Instance } from './instance.js';
import type { InstanceStatus } from './instance-xml.js';
import { paginate } from './paging.js';
import { parseQueueingInfo, parseQueueingJson, type InstanceQueueingInfo } from './queueing-info.js';
import { parseTime, existsBy } from './request.js';
import { requestXml } from './request.js';

/** Filters of `odps.instances.list()` (PyODPS `list_instances`). */
export interface ListInstancesOptions extends ProjectScoped {
  /** Only instances in this status. */
  status?: InstanceStatus;
  /** Only the caller's own instances (default false). */
  onlyOwner?: boolean;
  /** Started at or after. */
  startTime?: Date;
  /** Started at or before. */
  endTime?: Date;
  /** Only instances of this job name. */
  jobName?: string;
  /** Only instances running in this quota. */
  quotaIndex?: string;
  /** Instances per page request (the service's default when absent); listing still returns all pages. */
  pageSize?: number;
}

/** Filters of `odps.instances.queueing()`. */
export interface ListQueueingOptions extends ProjectScoped {
  status?: InstanceStatus;
  /** Only the caller's own instances. */
  onlyOwner?: boolean;
  quotaIndex?: string;
  pageSize?: number;
}

const unix = (d: Date | undefined): string => (d ? String(Math.floor(d.getTime() / 1000)) : '');

/** The instances (jobs) of a project (`odps.instances`): get, exists, list, queueing info. */
export class Instances {
  /** @internal Made by `ODPS`; use `odps.instances`. */
  constructor(private readonly ctx: OdpsContext) {}

  /** A handle on an existing instance (no request). */
  get(id: string, options: { project?: string } = {}): Instance {
    return new Instance(this.ctx, id, { project: options.project ?? this.ctx.project });
  }

  /** PyODPS `exist_instance`: true when the instance exists (one status request); other errors are thrown. */
  exists(id: string, options: ProjectScoped = {}): Promise<boolean> {
    return existsBy(() => this.get(id, options).status(options.signal ? { signal: options.signal } : {}));
  }

  /**
   * Queueing info of the project's queued and running instances (`GET /projects/<p>/cachedinstances`,
   * PyODPS `list_instance_queueing_infos`, Java `iteratorQueueing`): XML `Instances` with a JSON array
   * in `Content`, paged by `Marker`.
   */
  queueing(options: ListQueueingOptions = {}): AsyncGenerator<InstanceQueueingInfo, void, undefined> {
    const project = options.project ?? this.ctx.project;
    return paginate(`queued instances of ${project}`, async (marker) => {
      const { doc } = await requestXml(this.ctx, {
        method: 'GET', path: ['projects', project, 'cachedinstances'],
        query: {
          status: options.status, onlyowner: options.onlyOwner === undefined ? undefined : options.onlyOwner ? 'yes' : 'no',
          quotaindex: options.quotaIndex, maxitems: options.pageSize?.toString(), marker,
        },
        signal: options.signal,
      });
      const root = xmlChild(doc, 'Instances') ?? {};
      const content = childText(root, 'Content');
      const list = content ? parseQueueingJson(content, `queueing list of project ${project}`) : [];
      if (!Array.isArray(list)) throw new OdpsError(`queueing list of project ${project} is not a JSON array`, { code: 'InvalidResponse' });
      return { items: list.map(parseQueueingInfo), marker: childText(root, 'Marker') };
    }, options.signal);
  }

  /** PyODPS `list_instances`. */
  list(options: ListInstancesOptions = {}): AsyncGenerator<Instance, void, undefined> {
    const project = options.project ?? this.ctx.project;
    const daterange = options.startTime || options.endTime ? `${unix(options.startTime)}:${unix(options.endTime)}` : undefined;
    return paginate(`instances of ${project}`, async (marker) => {
      const { doc } = await requestXml(this.ctx, {
        method: 'GET', path: ['projects', project, 'instances'],
        query: {
          status: options.status, onlyowner: options.onlyOwner ? 'yes' : 'no', daterange, jobname: options.jobName,
          quotaIndex: options.quotaIndex, maxitems: options.pageSize?.toString(), marker,
        },
        signal: options.signal,
      });
      const root = xmlChild(doc, 'Instances') ?? {};
      const items = xmlChildren(root, 'Instance').map((i) => {
        const init: ConstructorParameters<typeof Instance>[2] = { project };
        const owner = childText(i, 'Owner');
        if (owner) init.owner = owner;
        const st = parseTime(childText(i, 'StartTime'));
        if (st) init.startTime = st;
        const et = parseTime(childText(i, 'EndTime'));
        if (et) init.endTime = et;
        const status = childText(i, 'Status');
        if (status) init.status = status as InstanceStatus;
        return new Instance(this.ctx, childText(i, 'Name') ?? '', init);
      });
      return { items, marker: childText(root, 'Marker') };
    }, options.signal);
  }
}
