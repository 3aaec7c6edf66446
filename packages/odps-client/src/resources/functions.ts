// Functions of a project (`registration/functions`): list, get, exists, create, update, delete.
import { NoSuchObjectError, OdpsArgumentError } from '../errors.js';
import { buildXml, childText, xmlChild, xmlChildren, type XmlNode } from '../http/xml.js';
import type { OdpsContext, SchemaScoped } from './context.js';
import { parseFunction, type FunctionInfo } from './function.js';
import { cdata } from './instance-xml.js';
import { paginate } from './paging.js';
import { existsBy, scopeOf, requestXml, withSchema } from './request.js';

export interface ListFunctionsOptions extends SchemaScoped {
  /** Function-name prefix (`name=`). */
  prefix?: string;
  owner?: string;
  pageSize?: number;
}

export interface FunctionDefinition extends SchemaScoped {
  /** Class to load: `com.example.Lower` (Java) or `module.Class` (Python file `module.py`). */
  classType?: string;
  /** Resources holding the class (jar/py/file/archive/table), by name or as `project/resources/name`. */
  resources?: string[];
  /**
   * A `CREATE SQL FUNCTION name(@a BIGINT) AS ...` text, sent as `IsSqlFunction` + `SqlDefinitionText`
   * (the Java FunctionModel fields). [UNVERIFIED: the service answers these fields; whether it accepts
   * them on create is not in the SDKs. The emulator does; on the service use the SQL statement.]
   */
  sqlDefinition?: string;
}

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

export class Functions {
  constructor(private readonly ctx: OdpsContext) {}

  private scope(o: SchemaScoped): { project: string; schema: string | undefined } {
    return { project: o.project ?? this.ctx.project, schema: o.schema ?? this.ctx.schema };
  }

  private path(project: string, name?: string): string[] {
    return name === undefined ? ['projects', project, 'registration', 'functions'] : ['projects', project, 'registration', 'functions', name];
  }

  /** Every function (PyODPS `list_functions`), across all pages. */
  list(options: ListFunctionsOptions = {}): AsyncGenerator<FunctionInfo, void, undefined> {
    const { project, schema } = this.scope(options);
    return paginate(`functions of ${project}`, async (marker) => {
      const query = withSchema({ expectmarker: 'true', marker, name: options.prefix, owner: options.owner, maxitems: options.pageSize?.toString() }, schema);
      const { doc } = await requestXml(this.ctx, { method: 'GET', path: this.path(project), query, signal: options.signal });
      const root = xmlChild(doc, 'Functions') ?? {};
      return { items: xmlChildren(root, 'Function').map((f) => parseFunction(f, project, schema)), marker: childText(root, 'Marker') };
    }, options.signal);
  }

  /** PyODPS `get_function` + reload. */
  async get(name: string, options: SchemaScoped = {}): Promise<FunctionInfo> {
    validateFunctionName(name);
    const { project, schema } = this.scope(options);
    const { doc } = await requestXml(this.ctx, { method: 'GET', path: this.path(project, name), query: withSchema({}, schema), signal: options.signal });
    const node = xmlChild(doc, 'Function');
    if (!node) throw new NoSuchObjectError(`function ${name} not found (empty answer)`, { code: 'NoSuchObject' });
    return parseFunction(node, project, schema);
  }

  /** PyODPS `exist_function`: any 404 means absent. */
  exists(name: string, options: SchemaScoped = {}): Promise<boolean> {
    return existsBy(() => this.get(name, options));
  }

  /** PyODPS `create_function(name, class_type=..., resources=[...])`. */
  async create(name: string, definition: FunctionDefinition): Promise<FunctionInfo> {
    const { project, schema } = this.scope(definition);
    const res = await this.ctx.transport.request({
      method: 'POST', path: this.path(project), query: withSchema({}, schema),
      headers: { 'Content-Type': 'application/xml' }, body: functionXml(name, definition), signal: definition.signal,
    });
    await res.dump();
    return this.get(name, scopeOf(definition));
  }

  /** PyODPS `function.update()` / Java `Functions.update`: a full replacement of class and resources. */
  async update(name: string, definition: FunctionDefinition): Promise<FunctionInfo> {
    const { project, schema } = this.scope(definition);
    const res = await this.ctx.transport.request({
      method: 'PUT', path: this.path(project, name), query: withSchema({}, schema),
      headers: { 'Content-Type': 'application/xml' }, body: functionXml(name, definition), signal: definition.signal,
    });
    await res.dump();
    return this.get(name, scopeOf(definition));
  }

  /** PyODPS `delete_function`. */
  async delete(name: string, options: SchemaScoped = {}): Promise<void> {
    validateFunctionName(name);
    const { project, schema } = this.scope(options);
    const res = await this.ctx.transport.request({ method: 'DELETE', path: this.path(project, name), query: withSchema({}, schema), signal: options.signal });
    await res.dump();
  }
}

/** The `Function` body in PyODPS's element order: Alias, ClassType, Resources/ResourceName. */
export function functionXml(name: string, d: FunctionDefinition): string {
  validateFunctionName(name);
  const sql = d.sqlDefinition;
  if (sql !== undefined && (typeof sql !== 'string' || sql.trim() === '')) throw new OdpsArgumentError('sqlDefinition must be a non-empty string');
  if (sql === undefined && (typeof d.classType !== 'string' || d.classType.trim() === '')) {
    throw new OdpsArgumentError(`function ${name} needs a classType (or a sqlDefinition)`);
  }
  const resources = d.resources ?? [];
  if (!Array.isArray(resources) || resources.some((r) => typeof r !== 'string' || r.trim() === '')) {
    throw new OdpsArgumentError('resources must be a list of non-empty resource names');
  }
  const node: XmlNode = { Alias: name };
  if (d.classType) node['ClassType'] = d.classType;
  if (resources.length > 0) node['Resources'] = { ResourceName: resources };
  if (sql !== undefined) {
    node['IsSqlFunction'] = 'true';
    node['SqlDefinitionText'] = cdata(sql);
  }
  return buildXml({ Function: node });
}

export function validateFunctionName(name: string): void {
  if (typeof name !== 'string' || !NAME_RE.test(name)) {
    throw new OdpsArgumentError(`invalid function name ${JSON.stringify(name)} (a letter or _, then letters, digits, _; at most 128)`);
  }
}
