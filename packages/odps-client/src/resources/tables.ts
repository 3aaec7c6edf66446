// Tables of a project: list (async iterable, marker paging), get, exists, create and drop.
import { childText, xmlChild, xmlChildren, type XmlNode } from '../http/xml.js';
import { createTableSql, dropTableSql, namespaceHints, type TableDefinition } from '../sql/ddl.js';
import { validateName } from '../sql/quote.js';
import type { CallOptions, OdpsContext, SchemaScoped } from './context.js';
import { paginate } from './paging.js';
import { parseTime, requestXml, withSchema, existsBy } from './request.js';
import { Table } from './table.js';
import { fetchTableNode } from './table-load.js';
import { parseTableExtendedInfo, parseTableMeta, type TableType } from './table-meta.js';

/** Filters of `odps.tables.list()` (PyODPS `list_tables`). */
export interface ListTablesOptions extends SchemaScoped {
  /** Table-name prefix. */
  prefix?: string;
  /** Owner account string, e.g. `ALIYUN$user@example.com`. */
  owner?: string;
  /** Only tables of this type; each summary then reports it even without `extended`. */
  type?: TableType;
  /** Ask for type and comment of each table. */
  extended?: boolean;
  /** Items per page (server default when absent). */
  pageSize?: number;
}

/** One entry of `odps.tables.list()`: what the listing tells without loading each table. */
export interface TableSummary {
  name: string;
  project: string;
  owner?: string;
  type?: TableType;
  comment?: string;
  schemaName?: string;
  creationTime?: Date;
  lastModifiedTime?: Date;
}

/** Definition and placement of `odps.tables.create()` (PyODPS `create_table`). */
export interface CreateTableOptions extends TableDefinition, SchemaScoped {
  /** Extra SQL settings for the DDL instance. */
  hints?: Record<string, string>;
}

/** The tables of a project (`odps.tables`): list, get, exists, create, drop. Project and schema default to the client's. */
export class Tables {
  /** @internal Made by `ODPS`; use `odps.tables`. */
  constructor(private readonly ctx: OdpsContext) {}

  private scope(o: SchemaScoped): { project: string; schema: string | undefined } {
    return { project: o.project ?? this.ctx.project, schema: o.schema ?? this.ctx.schema };
  }

  /** Every table (PyODPS `list_tables`), across all pages. */
  list(options: ListTablesOptions = {}): AsyncGenerator<TableSummary, void, undefined> {
    const { project, schema } = this.scope(options);
    return paginate(`tables of ${project}`, async (marker) => {
      const query = withSchema({
        expectmarker: 'true', marker, name: options.prefix, owner: options.owner, type: options.type,
        extended: options.extended ? null : undefined, maxitems: options.pageSize?.toString(),
      }, schema);
      const { doc } = await requestXml(this.ctx, { method: 'GET', path: ['projects', project, 'tables'], query, signal: options.signal });
      const root = xmlChild(doc, 'Tables') ?? {};
      return { items: xmlChildren(root, 'Table').map((t) => summary(t, project, options.type)), marker: childText(root, 'Marker') };
    }, options.signal);
  }

  /**
   * Full metadata (PyODPS `get_table` + reload): columns with parsed types, partition keys, sizes, times.
   * `extended` also loads the extended info (transactional, primary key, physical size, file count ...)
   * with a second `?extended` request merged over the first, as the SDKs do.
   */
  async get(name: string, options: SchemaScoped & { extended?: boolean } = {}): Promise<Table> {
    validateName(name, 'table name');
    const { project, schema } = this.scope(options);
    const ref = { project, name, schema };
    const meta = parseTableMeta(await fetchTableNode(this.ctx, ref, false, options.signal), { project, name });
    if (schema && !meta.schemaName) meta.schemaName = schema;
    if (options.extended) Object.assign(meta, parseTableExtendedInfo(await fetchTableNode(this.ctx, ref, true, options.signal), name));
    return new Table(this.ctx, meta, { schema });
  }

  /** PyODPS `exist_table`: any 404 means absent. */
  exists(name: string, options: SchemaScoped = {}): Promise<boolean> {
    return existsBy(() => this.get(name, options));
  }

  /** Generated `CREATE TABLE` run as an SQL instance and waited for; returns the new table's metadata. */
  async create(name: string, definition: CreateTableOptions): Promise<Table> {
    const { project, schema } = this.scope(definition);
    const sql = createTableSql(project, schema, name, definition);
    await this.runDdl(sql, schema, definition);
    const opts: SchemaScoped = { project };
    if (schema) opts.schema = schema;
    if (definition.signal) opts.signal = definition.signal;
    return this.get(name, opts);
  }

  /** Generated `DROP TABLE [IF EXISTS]`, waited for. */
  async drop(name: string, options: SchemaScoped & { ifExists?: boolean; view?: boolean; hints?: Record<string, string> } = {}): Promise<void> {
    const { project, schema } = this.scope(options);
    await this.runDdl(dropTableSql(project, schema, name, options.ifExists ?? false, options.view ?? false), schema, options);
  }

  private async runDdl(sql: string, schema: string | undefined, o: CallOptions & { hints?: Record<string, string>; project?: string }): Promise<void> {
    const inst = await this.ctx.runSql(sql, {
      hints: { ...namespaceHints(schema), ...o.hints },
      ...(o.project ? { project: o.project } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    });
    await inst.waitForSuccess(o.signal ? { signal: o.signal } : {});
  }
}

function summary(t: XmlNode, project: string, typeFilter: TableType | undefined): TableSummary {
  const out: TableSummary = { name: childText(t, 'Name') ?? '', project: childText(t, 'Project') || project };
  const set = <K extends keyof TableSummary>(k: K, v: TableSummary[K] | undefined): void => {
    if (v !== undefined && v !== '') out[k] = v;
  };
  set('owner', childText(t, 'Owner'));
  // Without `extended` the service leaves out Type; a type filter already tells it.
  set('type', childText(t, 'Type') || typeFilter);
  set('comment', childText(t, 'Comment'));
  set('schemaName', childText(t, 'SchemaName'));
  set('creationTime', parseTime(childText(t, 'CreationTime')));
  set('lastModifiedTime', parseTime(childText(t, 'LastModifiedTime')));
  return out;
}
