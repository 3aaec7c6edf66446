// Schemas of a three-tier project: list (marker paging), get, exists, create, delete.
import { NoSuchObjectError } from '../errors.js';
import { buildXml, childText, xmlChild, xmlChildren, type XmlNode } from '../http/xml.js';
import { validateSimpleName } from '../sql/quote.js';
import type { OdpsContext, ProjectScoped } from './context.js';
import { paginate } from './paging.js';
import { parseTime, requestXml, existsBy } from './request.js';

/** A schema of a three-tier project, as listed or fetched (PyODPS `Schema`). */
export interface Schema {
  name: string;
  project: string;
  owner?: string;
  description?: string;
  type?: string;
  creationTime?: Date;
  lastModifiedTime?: Date;
}

/** Options of `odps.schemas.create()`. */
export interface CreateSchemaOptions extends ProjectScoped {
  comment?: string;
  /** Succeed when the schema already exists. */
  ifNotExists?: boolean;
}

/** Filters of `odps.schemas.list()`. */
export interface ListSchemasOptions extends ProjectScoped {
  prefix?: string;
  owner?: string;
  pageSize?: number;
}

function parseSchema(s: XmlNode, project: string): Schema {
  const out: Schema = { name: childText(s, 'Name') ?? '', project: childText(s, 'Project') || project };
  const set = <K extends keyof Schema>(k: K, v: Schema[K] | undefined): void => {
    if (v !== undefined && v !== '') out[k] = v;
  };
  set('owner', childText(s, 'Owner'));
  set('description', childText(s, 'Description') ?? childText(s, 'Comment'));
  set('type', childText(s, 'Type'));
  set('creationTime', parseTime(childText(s, 'CreateTime')));
  set('lastModifiedTime', parseTime(childText(s, 'ModifyTime')));
  return out;
}

/** Schemas of a three-tier project (`odps.schemas`): list, get, exists, create, delete. */
export class Schemas {
  /** @internal Made by `ODPS`; use `odps.schemas`. */
  constructor(private readonly ctx: OdpsContext) {}

  /** PyODPS `list_schemas`. */
  list(options: ListSchemasOptions = {}): AsyncGenerator<Schema, void, undefined> {
    const project = options.project ?? this.ctx.project;
    return paginate(`schemas of ${project}`, async (marker) => {
      const { doc } = await requestXml(this.ctx, {
        method: 'GET', path: ['projects', project, 'schemas'],
        query: { expectmarker: 'true', marker, name: options.prefix, owner: options.owner, maxitems: options.pageSize?.toString() }, signal: options.signal,
      });
      const root = xmlChild(doc, 'Schemas') ?? {};
      return { items: xmlChildren(root, 'Schema').map((s) => parseSchema(s, project)), marker: childText(root, 'Marker') };
    }, options.signal);
  }

  /** PyODPS `get_schema`. */
  async get(name: string, options: ProjectScoped = {}): Promise<Schema> {
    validateSimpleName(name, 'schema');
    const project = options.project ?? this.ctx.project;
    const { doc } = await requestXml(this.ctx, { method: 'GET', path: ['projects', project, 'schemas', name], signal: options.signal });
    const s = xmlChild(doc, 'Schema');
    if (!s) throw new NoSuchObjectError(`schema ${name} not found (empty answer)`, { code: 'NoSuchSchema' });
    return parseSchema(s, project);
  }

  /** PyODPS `exist_schema`: true when the schema exists; other errors are thrown. */
  exists(name: string, options: ProjectScoped = {}): Promise<boolean> {
    return existsBy(() => this.get(name, options));
  }

  /**
   * `POST /projects/<p>/schemas` (PyODPS `create_schema`, Java/Go `Schemas.create`). The body follows
   * Go and Java (`Project`, `Name`, `Comment`, `IfNotExists`); PyODPS sends the comment as `Description`.
   */
  async create(name: string, options: CreateSchemaOptions = {}): Promise<void> {
    validateSimpleName(name, 'schema');
    const project = options.project ?? this.ctx.project;
    const schema: Record<string, string> = { Project: project, Name: name };
    if (options.comment !== undefined) schema['Comment'] = options.comment;
    schema['IfNotExists'] = String(options.ifNotExists ?? false);
    const res = await this.ctx.transport.request({
      method: 'POST', path: ['projects', project, 'schemas'], headers: { 'Content-Type': 'application/xml' },
      body: buildXml({ Schema: schema }), signal: options.signal,
    });
    await res.dump();
  }

  /** `DELETE /projects/<p>/schemas/<s>` (PyODPS `delete_schema`); NoSuchObjectError when it does not exist. */
  async delete(name: string, options: ProjectScoped = {}): Promise<void> {
    validateSimpleName(name, 'schema');
    const project = options.project ?? this.ctx.project;
    const res = await this.ctx.transport.request({ method: 'DELETE', path: ['projects', project, 'schemas', name], signal: options.signal });
    await res.dump();
  }
}
