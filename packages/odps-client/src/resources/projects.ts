// Projects: list (`GET /projects`, marker paging), metadata and properties of one (`GET /projects/<p>`).
import { NoSuchObjectError } from '../errors.js';
import { childText, xmlChild, xmlChildren, type XmlNode } from '../http/xml.js';
import type { CallOptions, OdpsContext } from './context.js';
import { paginate } from './paging.js';
import { parseTime, requestXml, existsBy } from './request.js';

/** A project's metadata and properties, as `odps.projects.get()` answers (PyODPS `Project`). */
export interface Project {
  name: string;
  type?: string;
  comment?: string;
  state?: string;
  owner?: string;
  region?: string;
  tenantId?: string;
  projectGroupName?: string;
  defaultQuota?: string;
  /** Whether the project allows the three-tier (schema) model. */
  allow3Tier?: boolean;
  creationTime?: Date;
  lastModifiedTime?: Date;
  properties: Record<string, string>;
  extendedProperties: Record<string, string>;
}

/** Options of `odps.projects.get()`. */
export interface GetProjectOptions extends CallOptions {
  /** Ask for every property (`?properties=all`), not only the non-default ones. */
  allProperties?: boolean;
  /** Also fetch extended properties (`?extended`). */
  extended?: boolean;
}

export interface ListProjectsOptions extends CallOptions {
  /** Project-name prefix (`name=`). */
  prefix?: string;
  /** Owner account string (`owner=`). */
  owner?: string;
  /** Projects this user is a member of (`user=`). */
  user?: string;
  /** Project group (`group=`). */
  group?: string;
  /** Items per page (server default when absent). */
  pageSize?: number;
}

const props = (node: unknown): Record<string, string> =>
  Object.fromEntries(xmlChildren(node, 'Property').map((x) => [childText(x, 'Name') ?? '', childText(x, 'Value') ?? '']));

/** One `Project` element; owner and times prefer the headers of a single GET when given. */
function parseProject(p: XmlNode, fallbackName: string, headers: Record<string, string | undefined> = {}): Project {
  const out: Project = { name: childText(p, 'Name') || fallbackName, properties: props(xmlChild(p, 'Properties')), extendedProperties: {} };
  const set = <K extends keyof Project>(k: K, v: Project[K] | undefined): void => {
    if (v !== undefined && v !== '') out[k] = v;
  };
  set('type', childText(p, 'Type'));
  set('comment', childText(p, 'Comment'));
  set('state', childText(p, 'State'));
  set('owner', headers['x-odps-owner'] || childText(p, 'Owner'));
  set('region', childText(p, 'Region'));
  set('tenantId', childText(p, 'TenantId'));
  set('projectGroupName', childText(p, 'ProjectGroupName'));
  set('defaultQuota', childText(p, 'DefaultQuotaNickname'));
  const a3 = childText(p, 'Allow3Tier');
  if (a3) out.allow3Tier = a3.toLowerCase() === 'true';
  set('creationTime', parseTime(headers['x-odps-creation-time'] ?? (childText(p, 'CreationTime') || childText(p, 'CreatedTime'))));
  set('lastModifiedTime', parseTime(headers['last-modified'] ?? childText(p, 'LastModifiedTime')));
  return out;
}

/** Projects (`odps.projects`): list, get and exists; the name defaults to the client's project. */
export class Projects {
  /** @internal Made by `ODPS`; use `odps.projects`. */
  constructor(private readonly ctx: OdpsContext) {}

  /** PyODPS `get_project`: metadata and properties. */
  async get(name: string = this.ctx.project, options: GetProjectOptions = {}): Promise<Project> {
    const { doc, headers } = await requestXml(this.ctx, {
      method: 'GET', path: ['projects', name], query: { properties: options.allProperties ? 'all' : undefined }, signal: options.signal,
    });
    const p = xmlChild(doc, 'Project');
    if (!p) throw new NoSuchObjectError(`project ${name} not found (empty answer)`, { code: 'NoSuchProject' });
    const out = parseProject(p, name, headers);
    if (options.extended) {
      const ext = await requestXml(this.ctx, { method: 'GET', path: ['projects', name], query: { extended: null }, signal: options.signal });
      const ep = xmlChild(ext.doc, 'Project');
      out.extendedProperties = props(xmlChild(ep, 'ExtendedProperties'));
    }
    return out;
  }

  /** PyODPS `list_projects` / Java `Projects.iterator`: every visible project, across all pages. */
  list(options: ListProjectsOptions = {}): AsyncGenerator<Project, void, undefined> {
    return paginate('projects', async (marker) => {
      const query = {
        expectmarker: 'true', marker, name: options.prefix, owner: options.owner, user: options.user,
        group: options.group, maxitems: options.pageSize?.toString(),
      };
      const { doc } = await requestXml(this.ctx, { method: 'GET', path: ['projects'], query, signal: options.signal });
      const root = xmlChild(doc, 'Projects') ?? {};
      return { items: xmlChildren(root, 'Project').map((p) => parseProject(p, '')), marker: childText(root, 'Marker') };
    }, options.signal);
  }

  /** PyODPS `exist_project`: true when the project exists; other errors (e.g. no permission) are thrown. */
  exists(name: string = this.ctx.project, options: CallOptions = {}): Promise<boolean> {
    return existsBy(() => this.get(name, options));
  }
}
