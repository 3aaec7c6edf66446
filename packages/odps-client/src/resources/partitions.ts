// Partitions of one table: list (marker paging), get, exists, add and drop (via SQL).
import { InvalidPartitionSpecError, NoSuchObjectError } from '../errors.js';
import { childText, xmlAttr, xmlChild, xmlChildren, type XmlNode } from '../http/xml.js';
import { addPartitionSql, dropPartitionSql, namespaceHints } from '../sql/ddl.js';
import type { CallOptions, OdpsContext } from './context.js';
import { paginate } from './paging.js';
import { PartitionSpec, type PartitionSpecInput } from './partition-spec.js';
import { parseIntOr, parseTime, requestXml, withSchema, existsBy } from './request.js';

/** A partition as listed or fetched (PyODPS `Partition`). */
export interface Partition {
  spec: PartitionSpec;
  creationTime?: Date;
  lastDDLTime?: Date;
  lastModifiedTime?: Date;
  lastAccessTime?: Date;
  /** Bytes. */
  size?: number;
  recordNum?: number;
  /** Extended info (only after `get(spec, { extended: true })`). */
  isArchived?: boolean;
  isExstore?: boolean;
  /** Days; extended info. */
  lifecycle?: number;
  physicalSize?: number;
  fileNum?: number;
  /** The decoded `Reserved` JSON (extended info). */
  reserved?: Record<string, unknown>;
}

/** Filters of `table.partitions.list()`. */
export interface ListPartitionsOptions extends CallOptions {
  /** Only partitions matching this (prefix) spec. */
  spec?: PartitionSpecInput;
  pageSize?: number;
}

/** The table a Partitions object is bound to. */
export interface PartitionOwner {
  project: string;
  schemaName?: string;
  name: string;
  /** Partition key names in order, used to check specs client-side. */
  partitionKeys: string[];
}

/** Partitions of one table (`table.partitions`): list, get, exists, add, drop; specs are checked against the table's keys. */
export class Partitions {
  /** @internal Made by `Table`; use `table.partitions`. */
  constructor(private readonly ctx: OdpsContext, private readonly table: PartitionOwner) {}

  private path(): string[] {
    return ['projects', this.table.project, 'tables', this.table.name];
  }

  private checkSpec(input: PartitionSpecInput, full: boolean): PartitionSpec {
    const spec = PartitionSpec.from(input);
    const keys = this.table.partitionKeys.map((k) => k.toLowerCase());
    if (keys.length === 0) throw new InvalidPartitionSpecError(`table ${this.table.name} is not partitioned`);
    for (const k of spec.keys) if (!keys.includes(k.toLowerCase())) throw new InvalidPartitionSpecError(`${k} is not a partition key of ${this.table.name} (keys: ${this.table.partitionKeys.join(', ')})`);
    if (full && spec.keys.length !== keys.length) throw new InvalidPartitionSpecError(`spec ${spec.toString()} must name every partition key of ${this.table.name}: ${this.table.partitionKeys.join(', ')}`);
    // Reorder into key order so rendered specs match the server's.
    const ordered = this.table.partitionKeys.filter((k) => spec.get(k) !== undefined).map((k) => [k, spec.get(k) as string] as const);
    return new PartitionSpec(ordered);
  }

  /** All partitions (optionally under a prefix spec), following the marker across pages. */
  list(options: ListPartitionsOptions = {}): AsyncGenerator<Partition, void, undefined> {
    const spec = options.spec === undefined ? undefined : this.checkSpec(options.spec, false);
    return paginate(`partitions of table ${this.table.project}.${this.table.name}`, async (marker) => {
      const query: Record<string, string | null | undefined> = { partitions: null, expectmarker: 'true', partition: spec?.toString(), marker, maxitems: options.pageSize?.toString() };
      const { doc } = await requestXml(this.ctx, { method: 'GET', path: this.path(), query: withSchema(query, this.table.schemaName), signal: options.signal });
      const root = xmlChild(doc, 'Partitions') ?? {};
      return { items: xmlChildren(root, 'Partition').map(parseListed), marker: childText(root, 'Marker') };
    }, options.signal);
  }

  /**
   * One partition's metadata; NoSuchObjectError when it does not exist. `extended` adds a second
   * `?extended` request merged over the first (PyODPS `reload_extend_info`, Go `LoadExtended`).
   */
  async get(spec: PartitionSpecInput, options: CallOptions & { extended?: boolean } = {}): Promise<Partition> {
    const s = this.checkSpec(spec, true);
    const p = parseOne(await this.fetch(s, false, options.signal), s);
    if (options.extended) assign(p, parseExtended(await this.fetch(s, true, options.signal)));
    return p;
  }

  private async fetch(s: PartitionSpec, extended: boolean, signal: AbortSignal | undefined): Promise<XmlNode> {
    const query: Record<string, string | null | undefined> = { partition: s.toString(), extended: extended ? null : undefined };
    const { doc } = await requestXml(this.ctx, { method: 'GET', path: this.path(), query: withSchema(query, this.table.schemaName), signal });
    const p = xmlChild(doc, 'Partition');
    if (!p) throw new NoSuchObjectError(`partition ${s.toString()} of ${this.table.name} not found`, { code: 'NoSuchPartition' });
    return p;
  }

  /** PyODPS `exist_partition`: true when the partition exists; an invalid spec throws InvalidPartitionSpecError. */
  exists(spec: PartitionSpecInput, options: CallOptions = {}): Promise<boolean> {
    return existsBy(() => this.get(spec, options));
  }

  /** `ALTER TABLE ... ADD [IF NOT EXISTS] PARTITION (...)`, waited for. */
  async add(spec: PartitionSpecInput, options: CallOptions & { ifNotExists?: boolean } = {}): Promise<void> {
    const sql = addPartitionSql(this.table.project, this.table.schemaName, this.table.name, this.checkSpec(spec, true), options.ifNotExists ?? false);
    await this.runDdl(sql, options.signal);
  }

  /** `ALTER TABLE ... DROP [IF EXISTS] PARTITION (...)`, waited for. */
  async drop(spec: PartitionSpecInput, options: CallOptions & { ifExists?: boolean } = {}): Promise<void> {
    const sql = dropPartitionSql(this.table.project, this.table.schemaName, this.table.name, this.checkSpec(spec, true), options.ifExists ?? false);
    await this.runDdl(sql, options.signal);
  }

  private async runDdl(sql: string, signal: AbortSignal | undefined): Promise<void> {
    const inst = await this.ctx.runSql(sql, { hints: namespaceHints(this.table.schemaName), ...(signal ? { signal } : {}) });
    await inst.waitForSuccess(signal ? { signal } : {});
  }
}

// Server answers are trusted as they are: a stored partition that breaks the rules must still list.
function specFromColumns(p: XmlNode): PartitionSpec {
  return PartitionSpec.fromServer(xmlChildren(p, 'Column').map((c) => [xmlAttr(c, 'Name') ?? '', xmlAttr(c, 'Value') ?? ''] as const));
}

/** `ds=2025/hh=08` (names-only listing): split on `/` and the first `=`, values unescaped as given. */
function specFromName(name: string): PartitionSpec {
  return PartitionSpec.fromServer(name.split('/').map((part) => {
    const eq = part.indexOf('=');
    return eq < 0 ? [part, ''] as const : [part.slice(0, eq), part.slice(eq + 1)] as const;
  }));
}

function assign(target: Partition, values: Partial<Record<keyof Partition, unknown>>): Partition {
  for (const [k, v] of Object.entries(values)) if (v !== undefined) (target as unknown as Record<string, unknown>)[k] = v;
  return target;
}

function parseListed(p: XmlNode): Partition {
  const spec = p['Column'] !== undefined ? specFromColumns(p) : specFromName(childText(p, 'Name') ?? '');
  return assign({ spec }, {
    creationTime: parseTime(childText(p, 'CreationTime')),
    lastDDLTime: parseTime(childText(p, 'LastDDLTime')),
    lastModifiedTime: parseTime(childText(p, 'LastModifiedTime')),
    size: parseIntOr(childText(p, 'PartitionSize')),
    recordNum: parseIntOr(childText(p, 'PartitionRecordCount')),
  });
}

function schemaJson(p: XmlNode): Record<string, unknown> {
  const text = childText(p, 'Schema');
  if (!text) return {};
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const jsonText = (json: Record<string, unknown>, k: string): string | undefined => (json[k] === undefined ? undefined : String(json[k]));

function parseOne(p: XmlNode, requested: PartitionSpec): Partition {
  const spec = p['Column'] !== undefined ? specFromColumns(p) : requested;
  const json = schemaJson(p);
  const num = (k: string): string | undefined => jsonText(json, k);
  const rec = parseIntOr(num('partitionRecordNum'));
  return assign({ spec }, {
    creationTime: parseTime(num('createTime')),
    lastDDLTime: parseTime(num('lastDDLTime')),
    lastModifiedTime: parseTime(num('lastModifiedTime')),
    lastAccessTime: parseTime(num('lastAccessTime')),
    size: parseIntOr(num('partitionSize')),
    recordNum: rec !== undefined && rec < 0 ? undefined : rec,
  });
}

/** Keys of the `?extended` answer (PyODPS `PartitionExtendedMeta`, Go `partitionExtendedModel`). */
function parseExtended(p: XmlNode): Partial<Partition> {
  const json = schemaJson(p);
  const bool = (k: string): boolean | undefined => (json[k] === undefined ? undefined : String(json[k]).toLowerCase() === 'true');
  const life = parseIntOr(jsonText(json, 'LifeCycle'));
  let reserved: Record<string, unknown> | undefined;
  const text = jsonText(json, 'Reserved');
  if (text) {
    try {
      const v = JSON.parse(text) as unknown;
      if (v && typeof v === 'object') reserved = v as Record<string, unknown>;
    } catch {
      reserved = undefined;
    }
  }
  const out: Partial<Record<keyof Partition, unknown>> = {
    isArchived: bool('IsArchived'),
    isExstore: bool('IsExstore'),
    lifecycle: life !== undefined && life < 0 ? undefined : life,
    physicalSize: parseIntOr(jsonText(json, 'PhysicalSize')),
    fileNum: parseIntOr(jsonText(json, 'FileNum')),
    reserved,
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as Partial<Partition>;
}
