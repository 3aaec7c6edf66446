// Partitions of one table: list (marker paging), get, exists, add and drop (via SQL).
import { InvalidPartitionSpecError, NoSuchObjectError } from '../errors.js';
import { childText, xmlAttr, xmlChild, xmlChildren, type XmlNode } from '../http/xml.js';
import { addPartitionSql, dropPartitionSql, namespaceHints } from '../sql/ddl.js';
import type { CallOptions, OdpsContext } from './context.js';
import { paginate } from './paging.js';
import { parsePartitionFilter } from './partition-filter.js';
import { PartitionSpec, type PartitionSpecInput } from '../core/partition-spec.js';
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
  /**
   * PyODPS-style conditions, e.g. `ds>=20250101,hh=08` (`= == != <> < <= > >=`, string comparison).
   * Leading keys pinned by `=` go to the server as the prefix spec; the rest is filtered here, as
   * PyODPS does (no SDK sends a richer filter). Not together with `spec`.
   */
  filter?: string;
  pageSize?: number;
}

export interface MaxPartitionOptions extends CallOptions {
  /** Only under this prefix (leading keys, not all of them), as PyODPS `get_max_partition(spec)`. */
  spec?: PartitionSpecInput;
  /** Skip partitions without data (default true, as PyODPS `skip_empty`). */
  skipEmpty?: boolean;
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
    if (options.filter === undefined) return this.listPages(options.spec === undefined ? undefined : this.checkSpec(options.spec, false), options);
    if (options.spec !== undefined) throw new InvalidPartitionSpecError('give either spec or filter when listing partitions, not both');
    if (this.table.partitionKeys.length === 0) throw new InvalidPartitionSpecError(`table ${this.table.name} is not partitioned`);
    const f = parsePartitionFilter(options.filter, this.table.partitionKeys, this.table.name);
    const pages = this.listPages(f.pushed, options);
    return (async function* filtered() {
      for await (const p of pages) if (f.matches(p.spec)) yield p;
    })();
  }

  /**
   * The partition with the greatest values (compared key by key, as strings) that holds data: PyODPS
   * `get_max_partition`. Sizes come from the listing (or the partition's own GET when the listing has
   * none); `undefined` when none qualifies.
   */
  async max(options: MaxPartitionOptions = {}): Promise<Partition | undefined> {
    const keys = this.table.partitionKeys;
    let prefix: PartitionSpec | undefined;
    if (options.spec !== undefined) {
      prefix = this.checkSpec(options.spec, false);
      const leading = keys.slice(0, prefix.keys.length).map((k) => k.toLowerCase());
      if (prefix.keys.length >= keys.length || prefix.keys.some((k, i) => k.toLowerCase() !== leading[i])) {
        throw new InvalidPartitionSpecError(`max partition prefix ${prefix.toString()} must be leading keys of ${this.table.name} (${keys.join(', ')}), not all of them`);
      }
    } else if (keys.length === 0) throw new InvalidPartitionSpecError(`table ${this.table.name} is not partitioned`);
    const all: Partition[] = [];
    for await (const p of this.listPages(prefix, options)) all.push(p);
    const values = (p: Partition): string[] => keys.map((k) => p.spec.get(k) ?? '');
    all.sort((a, b) => compareValues(values(b), values(a)));
    if (options.skipEmpty === false) return all[0];
    for (const p of all) {
      // A listing without sizes: ask the partition itself, as PyODPS reads `physical_size` lazily.
      const size = p.size ?? (await this.get(p.spec, options.signal ? { signal: options.signal } : {})).size;
      if ((size ?? 0) > 0) return p;
    }
    return undefined;
  }

  private listPages(spec: PartitionSpec | undefined, options: ListPartitionsOptions): AsyncGenerator<Partition, void, undefined> {
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

/** Key-by-key string order (Python tuple comparison of the value strings). */
function compareValues(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return (a[i] as string) < (b[i] as string) ? -1 : 1;
  }
  return a.length - b.length;
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
