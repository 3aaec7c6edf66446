// Parsing table metadata: the `Table` XML element plus its embedded `Schema` JSON document.
import { OdpsError } from '../errors.js';
import { childText, type XmlNode } from '../http/xml.js';
import { formatType, parseType, type OdpsType } from '../types/index.js';
import { parseIntOr, parseTime } from './request.js';

export interface TableColumn {
  name: string;
  /** Canonical lower-case type text, e.g. `map<string,array<bigint>>`. */
  type: string;
  /** The parsed type tree. */
  odpsType: OdpsType;
  comment?: string;
  nullable?: boolean;
  label?: string;
  defaultValue?: string;
}

export interface TableSchema {
  columns: TableColumn[];
  partitionColumns: TableColumn[];
}

export type TableType = 'MANAGED_TABLE' | 'VIRTUAL_VIEW' | 'EXTERNAL_TABLE' | 'MATERIALIZED_VIEW' | 'OBJECT_TABLE' | (string & {});

export interface TableMeta {
  name: string;
  project: string;
  schemaName?: string;
  tableId?: string;
  owner?: string;
  comment?: string;
  type: TableType;
  schema: TableSchema;
  /** Days; undefined when the table has no lifecycle (-1). */
  lifecycle?: number;
  /** Logical size in bytes. */
  size?: number;
  /** Row count; undefined when unknown (-1). Unreliable for partitioned tables. */
  recordNum?: number;
  creationTime?: Date;
  lastDDLTime?: Date;
  lastModifiedTime?: Date;
  lastAccessTime?: Date;
  isVirtualView: boolean;
  isMaterializedView: boolean;
  isExternal: boolean;
  viewText?: string;
  viewExpandedText?: string;
  /**
   * Whether this is a transactional (Delta) table. Part of the extended info (`Reserved`), which the
   * service sends only on `?extended`: undefined = not loaded, not "false". Load it with
   * `tables.get(name, { extended: true })` or `table.loadExtendedInfo()`.
   */
  transactional?: boolean;
  /** Primary key columns (extended info, like `transactional`): undefined = not loaded. */
  primaryKey?: string[];
  /**
   * Clustering (`CLUSTERED BY … [SORTED BY …] INTO n BUCKETS`), extended info: `null` when loaded and
   * the table is not clustered, undefined when not loaded.
   */
  clusterInfo?: ClusterInfo | null;
  /** Extended info: archived table. */
  isArchived?: boolean;
  /** Extended info: physical (compressed, replicated) size in bytes. */
  physicalSize?: number;
  /** Extended info: number of data files. */
  fileNum?: number;
  /** Extended info of external tables. */
  location?: string;
  storageHandler?: string;
  /** Whether the `?extended` answer has been merged in. */
  extendedLoaded: boolean;
  /** The decoded `Reserved` JSON (extended info), when loaded. */
  reserved?: Record<string, unknown>;
  /** The whole schema JSON as sent, for fields not modelled here. */
  raw: Record<string, unknown>;
}

/** Cluster info from `Reserved` (PyODPS `ClusterInfo`, Java `Table.ClusterInfo`). */
export interface ClusterInfo {
  /** `hash` or `range`. */
  type: string;
  columns: string[];
  sortColumns: { name: string; order: 'asc' | 'desc' }[];
  /** Bucket count; undefined when the service leaves it to itself (range clustering without INTO). */
  bucketNum?: number;
}

type Json = Record<string, unknown>;

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

function bool(v: unknown): boolean {
  return v === true || (typeof v === 'string' && v.toLowerCase() === 'true');
}

function column(c: Json, table: string): TableColumn {
  const name = str(c['name']) ?? '';
  const typeText = str(c['type']) ?? '';
  let odpsType: OdpsType;
  try {
    odpsType = parseType(typeText);
  } catch (err) {
    throw new OdpsError(`table ${table}: column ${name} has a type we cannot parse: ${typeText}`, { code: 'UnsupportedType', cause: err });
  }
  const out: TableColumn = { name, type: formatType(odpsType), odpsType };
  const comment = str(c['comment']);
  if (comment) out.comment = comment;
  if (c['isNullable'] !== undefined) out.nullable = bool(c['isNullable']);
  const label = str(c['label']);
  if (label) out.label = label;
  if (bool(c['hasDefaultValue']) || c['defaultValue'] !== undefined) {
    const d = str(c['defaultValue']);
    if (d !== undefined) out.defaultValue = d;
  }
  return out;
}

function parseJson(text: string | undefined, what: string): Json {
  if (!text || text.trim() === '') return {};
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' ? (v as Json) : {};
  } catch (err) {
    throw new OdpsError(`${what} is not valid JSON`, { code: 'InvalidJson', cause: err });
  }
}

function positive(n: number | undefined): number | undefined {
  return n === undefined || n < 0 ? undefined : n;
}

/** Build TableMeta from the `Table` element of `GET /projects/<p>/tables/<t>`. */
export function parseTableMeta(table: XmlNode, fallback: { project: string; name: string }): TableMeta {
  const name = childText(table, 'Name') ?? fallback.name;
  const json = parseJson(childText(table, 'Schema'), `schema JSON of table ${name}`);
  const reservedText = str(json['Reserved']);
  const reserved = reservedText ? parseJson(reservedText, `Reserved JSON of table ${name}`) : undefined;
  const cols = Array.isArray(json['columns']) ? (json['columns'] as Json[]) : [];
  const pcols = Array.isArray(json['partitionKeys']) ? (json['partitionKeys'] as Json[]) : [];
  const isVirtualView = bool(json['isVirtualView']);
  const isMaterializedView = bool(json['isMaterializedView']);
  const isExternal = bool(json['isExternal']);
  const xmlType = childText(table, 'Type');
  const type = xmlType || (isMaterializedView ? 'MATERIALIZED_VIEW' : isVirtualView ? 'VIRTUAL_VIEW' : isExternal ? 'EXTERNAL_TABLE' : bool(json['isObjectTable']) ? 'OBJECT_TABLE' : 'MANAGED_TABLE');
  const meta: TableMeta = {
    name,
    project: childText(table, 'Project') || fallback.project,
    type,
    schema: { columns: cols.map((c) => column(c, name)), partitionColumns: pcols.map((c) => column(c, name)) },
    isVirtualView,
    isMaterializedView,
    isExternal,
    extendedLoaded: false,
    raw: json,
  };
  const set = <K extends keyof TableMeta>(k: K, v: TableMeta[K] | undefined): void => {
    if (v !== undefined && v !== '') meta[k] = v;
  };
  set('schemaName', childText(table, 'SchemaName'));
  set('tableId', childText(table, 'TableId'));
  set('owner', childText(table, 'Owner') || str(json['owner']));
  set('comment', childText(table, 'Comment') || str(json['comment']));
  set('lifecycle', positive(parseIntOr(str(json['lifecycle']))));
  set('size', parseIntOr(str(json['size'])));
  set('recordNum', positive(parseIntOr(str(json['recordNum']))));
  set('creationTime', parseTime(str(json['createTime'])) ?? parseTime(childText(table, 'CreationTime')));
  set('lastDDLTime', parseTime(str(json['lastDDLTime'])));
  set('lastModifiedTime', parseTime(str(json['lastModifiedTime'])) ?? parseTime(childText(table, 'LastModifiedTime')));
  set('lastAccessTime', parseTime(str(json['lastAccessTime'])) ?? parseTime(childText(table, 'LastAccessTime')));
  set('viewText', str(json['viewText']));
  set('viewExpandedText', str(json['viewExpandedText']));
  // A plain answer that does carry Reserved is used; without it these stay unknown.
  if (reserved) Object.assign(meta, reservedFields(reserved));
  return meta;
}

function reservedFields(reserved: Json): Pick<TableMeta, 'reserved' | 'transactional' | 'primaryKey' | 'clusterInfo'> {
  const pk = reserved['PrimaryKey'];
  return { reserved, transactional: bool(reserved['Transactional']), primaryKey: Array.isArray(pk) ? pk.map(String) : [], clusterInfo: clusterInfo(reserved) };
}

/** `ClusterType`, `ClusterCols`, `SortCols` ([{col, order}]) and `BucketNum` of `Reserved`. */
function clusterInfo(reserved: Json): ClusterInfo | null {
  const type = str(reserved['ClusterType']);
  if (!type) return null;
  const cols = reserved['ClusterCols'];
  const sort = reserved['SortCols'];
  const out: ClusterInfo = {
    type: type.toLowerCase(),
    columns: Array.isArray(cols) ? cols.map(String) : [],
    sortColumns: Array.isArray(sort)
      ? sort.map((c: unknown) => {
          const o = (c ?? {}) as Json;
          return { name: String(o['col'] ?? ''), order: String(o['order'] ?? 'asc').toLowerCase() === 'desc' ? 'desc' as const : 'asc' as const };
        })
      : [],
  };
  const buckets = Number(reserved['BucketNum']);
  if (Number.isInteger(buckets) && buckets > 0) out.bucketNum = buckets;
  return out;
}

/**
 * The fields of a `GET …/tables/<t>?extended` answer, to merge over the plain metadata the way the
 * SDKs do (PyODPS `reload_extend_info`, Java `reloadExtendInfo`, Go `LoadExtendedInfo`): only keys the
 * answer carries, and never its columns (it may lack the schema). Reserved fields become known: a
 * missing `Transactional` then means false, as in the SDKs.
 */
export function parseTableExtendedInfo(table: XmlNode, name: string): Partial<TableMeta> {
  const json = parseJson(childText(table, 'Schema'), `extended schema JSON of table ${name}`);
  const reservedText = str(json['Reserved']);
  const out: Partial<TableMeta> = { extendedLoaded: true, ...reservedFields(reservedText ? parseJson(reservedText, `Reserved JSON of table ${name}`) : {}) };
  const set = <K extends keyof TableMeta>(k: K, v: TableMeta[K] | undefined): void => {
    if (v !== undefined && v !== '') out[k] = v;
  };
  if (json['IsArchived'] !== undefined) out.isArchived = bool(json['IsArchived']);
  set('physicalSize', parseIntOr(str(json['PhysicalSize'])));
  set('fileNum', parseIntOr(str(json['FileNum'])));
  set('location', str(json['location']));
  set('storageHandler', str(json['storageHandler']));
  set('size', parseIntOr(str(json['size'])));
  set('recordNum', positive(parseIntOr(str(json['recordNum']))));
  set('lifecycle', positive(parseIntOr(str(json['lifecycle']))));
  return out;
}
