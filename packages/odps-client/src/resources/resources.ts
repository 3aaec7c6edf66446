// Resources of a project: list (marker paging), get/exists (meta headers), create/update (file or table), delete.
import type { Readable } from 'node:stream';
import { OdpsArgumentError } from '../errors.js';
import { childText, xmlChild, xmlChildren, type XmlNode } from '../http/xml.js';
import type { OdpsContext, SchemaScoped } from './context.js';
import { paginate } from './paging.js';
import { PartitionSpec, type PartitionSpecInput } from '../core/partition-spec.js';
import { existsBy, scopeOf, parseIntOr, parseTime, requestXml, withSchema } from './request.js';
import { Resource, resourceMetaFromHeaders, type ResourceMeta, type ResourceReadOptions, type ResourceType } from './resource.js';
import { uploadFileResource, type ResourceSource } from './resource-upload.js';

export interface ListResourcesOptions extends SchemaScoped {
  /** Resource-name prefix (`name=`). */
  prefix?: string;
  /** Owner account string. */
  owner?: string;
  pageSize?: number;
}

interface CommonCreate extends SchemaScoped {
  name: string;
  comment?: string;
}

export interface CreateFileResourceOptions extends CommonCreate {
  type: 'file' | 'py' | 'jar' | 'archive';
  /** Bytes, a readable of bytes, or a local file path. */
  file: ResourceSource;
  /** A temp resource (PyODPS `temp=True`, Java `createTempResource`). */
  temp?: boolean;
  /** Bytes per part for files larger than one part; default 64 MiB as both SDKs. */
  partSize?: number;
}

export interface CreateTableResourceOptions extends CommonCreate {
  type: 'table';
  /** `table`, `project.table` or `project.schema.table`. */
  table: string;
  partition?: PartitionSpecInput;
}

export type CreateResourceOptions = CreateFileResourceOptions | CreateTableResourceOptions;
export type UpdateResourceOptions = Omit<CreateFileResourceOptions, 'name'> | Omit<CreateTableResourceOptions, 'name'>;

const FILE_TYPES = new Set(['file', 'py', 'jar', 'archive']);

export class Resources {
  constructor(private readonly ctx: OdpsContext) {}

  private scope(o: SchemaScoped): { project: string; schema: string | undefined } {
    return { project: o.project ?? this.ctx.project, schema: o.schema ?? this.ctx.schema };
  }

  /** Every resource (PyODPS `list_resources`), across all pages. */
  list(options: ListResourcesOptions = {}): AsyncGenerator<ResourceMeta, void, undefined> {
    const { project, schema } = this.scope(options);
    return paginate(`resources of ${project}`, async (marker) => {
      const query = withSchema({ expectmarker: 'true', marker, name: options.prefix, owner: options.owner, maxitems: options.pageSize?.toString() }, schema);
      const { doc } = await requestXml(this.ctx, { method: 'GET', path: ['projects', project, 'resources'], query, signal: options.signal });
      const root = xmlChild(doc, 'Resources') ?? {};
      return { items: xmlChildren(root, 'Resource').map((r) => summary(r, project, schema)), marker: childText(root, 'Marker') };
    }, options.signal);
  }

  /** Metadata from `GET …/resources/<name>?meta` (PyODPS `get_resource` + reload). */
  async get(name: string, options: SchemaScoped = {}): Promise<Resource> {
    validateResourceName(name);
    const { project, schema } = this.scope(options);
    const res = await this.ctx.transport.request({
      method: 'GET', path: ['projects', project, 'resources', name], query: withSchema({ meta: null }, schema), signal: options.signal,
    });
    await res.dump();
    return new Resource(this.ctx, resourceMetaFromHeaders(res.headers, name, project, schema));
  }

  /** PyODPS `exist_resource`: any 404 means absent. */
  exists(name: string, options: SchemaScoped = {}): Promise<boolean> {
    return existsBy(() => this.get(name, options));
  }

  /** PyODPS `create_resource`: a file (uploaded in parts when larger than `partSize`) or a table resource. */
  async create(options: CreateResourceOptions): Promise<Resource> {
    await this.write(options.name, options, false);
    return this.get(options.name, scopeOf(options));
  }

  /** PyODPS `resource.update(...)` / Java `Resources.update`: replace the content or table source. */
  async update(name: string, options: UpdateResourceOptions): Promise<Resource> {
    await this.write(name, options, true);
    return this.get(name, scopeOf(options));
  }

  /** PyODPS `delete_resource`. */
  async delete(name: string, options: SchemaScoped = {}): Promise<void> {
    validateResourceName(name);
    const { project, schema } = this.scope(options);
    const res = await this.ctx.transport.request({ method: 'DELETE', path: ['projects', project, 'resources', name], query: withSchema({}, schema), signal: options.signal });
    await res.dump();
  }

  /** PyODPS `open_resource(name, mode='rb')`: the content as a stream, without a metadata call. */
  open(name: string, options: SchemaScoped & ResourceReadOptions = {}): Readable {
    validateResourceName(name);
    const { project, schema } = this.scope(options);
    return new Resource(this.ctx, { name, project, type: 'file', ...(schema ? { schemaName: schema } : {}) }).open(options);
  }

  private async write(name: string, options: Omit<CreateResourceOptions, 'name'>, overwrite: boolean): Promise<void> {
    validateResourceName(name);
    if (options.comment !== undefined) validateHeaderText(options.comment, 'comment');
    const { project, schema } = this.scope(options);
    if (options.type === 'table') return this.writeTable(name, options as CreateTableResourceOptions, project, schema, overwrite);
    if (!FILE_TYPES.has(options.type)) throw new OdpsArgumentError(`resource type must be file, py, jar, archive or table, got ${JSON.stringify(options.type)}`);
    const o = options as CreateFileResourceOptions;
    if (o.file === undefined || o.file === null) throw new OdpsArgumentError('a file resource needs `file` (bytes, a readable or a path)');
    await uploadFileResource(this.ctx, {
      project, schema, name, type: o.type, overwrite,
      ...(o.comment !== undefined ? { comment: o.comment } : {}),
      ...(o.temp !== undefined ? { temp: o.temp } : {}),
      ...(o.partSize !== undefined ? { partSize: o.partSize } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    }, o.file);
  }

  /** PyODPS TableResource.create: `text/plain`, empty body, the table in `x-odps-copy-table-source`. */
  private async writeTable(name: string, o: CreateTableResourceOptions, project: string, schema: string | undefined, overwrite: boolean): Promise<void> {
    if (typeof o.table !== 'string' || o.table.trim() === '') throw new OdpsArgumentError('a table resource needs `table`');
    const parts = o.table.split('.');
    if (parts.length > 3 || parts.some((p) => !/^[A-Za-z0-9_]+$/.test(p))) throw new OdpsArgumentError(`invalid table name ${JSON.stringify(o.table)} for a table resource`);
    // PyODPS qualifies a bare table with the resource's project (and schema when there is one).
    let source = parts.length === 1 ? [project, ...(schema ? [schema] : []), o.table].join('.') : o.table;
    if (o.partition !== undefined) source += ` partition(${PartitionSpec.from(o.partition).toString()})`;
    validateHeaderText(source, 'table source');
    const headers: Record<string, string> = {
      'Content-Type': 'text/plain', 'x-odps-resource-type': 'table', 'x-odps-resource-name': name, 'x-odps-copy-table-source': source,
    };
    if (o.comment !== undefined) headers['x-odps-comment'] = o.comment;
    const res = await this.ctx.transport.request({
      method: overwrite ? 'PUT' : 'POST', path: overwrite ? ['projects', project, 'resources', name] : ['projects', project, 'resources'],
      query: withSchema({}, schema), headers, body: '', signal: o.signal,
    });
    await res.dump();
  }
}

/** Names travel in a header and a path segment: non-empty, no `/`, no control or non-Latin-1 characters. */
export function validateResourceName(name: string): void {
  if (typeof name !== 'string' || name.trim() === '') throw new OdpsArgumentError('resource name must be a non-empty string');
  if (name.length > 256) throw new OdpsArgumentError(`resource name ${JSON.stringify(name.slice(0, 40))}... is longer than 256 characters`);
  if (name.includes('/') || name === '.' || name === '..') throw new OdpsArgumentError(`invalid resource name ${JSON.stringify(name)}`);
  validateHeaderText(name, 'resource name');
}

function validateHeaderText(text: string, what: string): void {
  // eslint-disable-next-line no-control-regex
  if (typeof text !== 'string' || /[\u0000-\u001f\u007f]|[^\u0000-\u00ff]/.test(text)) {
    throw new OdpsArgumentError(`${what} ${JSON.stringify(text)} has control or non-Latin-1 characters, which an HTTP header cannot carry`);
  }
}

function summary(r: XmlNode, project: string, schema: string | undefined): ResourceMeta {
  const out: ResourceMeta = { name: childText(r, 'Name') ?? '', project, type: (childText(r, 'ResourceType') ?? '').toLowerCase() as ResourceType };
  if (schema) out.schemaName = schema;
  const set = <K extends keyof ResourceMeta>(k: K, v: ResourceMeta[K] | undefined): void => {
    if (v !== undefined && v !== '') out[k] = v;
  };
  set('owner', childText(r, 'Owner'));
  set('comment', childText(r, 'Comment'));
  set('lastUpdator', childText(r, 'LastUpdator'));
  set('size', parseIntOr(childText(r, 'ResourceSize')));
  set('creationTime', parseTime(childText(r, 'CreationTime')));
  set('lastModifiedTime', parseTime(childText(r, 'LastModifiedTime')));
  set('sourceTableName', childText(r, 'TableName'));
  return out;
}
