// Schemas of three-tier projects: name rules, create/drop/list over the catalog, and their SQL statements.
import type { Catalog, MetaStore } from './catalog.js';
import { schemaKey } from './catalog.js';
import type { DuckDBConnection } from '@duckdb/node-api';
import { physicalSchema, quoteIdent } from './physical-names.js';
import type { Session } from './session.js';
import { alreadyExists, schemaNotFound, semanticError, type SourcePos } from './sql-error.js';
import type { Cursor } from './sql/cursor.js';
import type { CreateSchemaOptions, SchemaInfo, SqlResult } from './types.js';

export const DEFAULT_SCHEMA = 'default';
// The implicit `default` schema exists as long as the project: a fixed time keeps answers stable.
const DEFAULT_SCHEMA_CREATED = new Date(Date.UTC(2024, 0, 1));
/** MaxCompute: a letter first, then letters, digits and `_`, at most 128 characters. */
const SCHEMA_NAME = /^[A-Za-z][A-Za-z0-9_]{0,127}$/;

interface SchemaCore {
  conn: DuckDBConnection;
  catalog: Catalog;
  meta: MetaStore;
}

/** The schema name lower-cased, or a SqlError naming what is wrong with it. */
export function checkSchemaName(name: string, pos?: SourcePos): string {
  // `__…` names are the emulator's own (its metadata lives in `__odps_meta`): never a user schema.
  if (name.startsWith('__')) throw semanticError(pos, `schema name '${name}' is reserved (names starting with '__' are internal)`);
  if (!SCHEMA_NAME.test(name)) {
    throw semanticError(pos, `invalid schema name '${name}': a letter first, then letters, digits or '_', at most 128 characters`);
  }
  return name.toLowerCase();
}

function defaultSchema(project: string, owner: string): SchemaInfo {
  return { project, name: DEFAULT_SCHEMA, comment: '', owner, createTime: DEFAULT_SCHEMA_CREATED, lastModifiedTime: DEFAULT_SCHEMA_CREATED };
}

/** `default`, the created schemas and those only known from their tables, by name. */
export function listSchemas(catalog: Catalog, project: string, owner: string): SchemaInfo[] {
  const p = project.toLowerCase();
  const byName = new Map<string, SchemaInfo>();
  for (const s of catalog.schemas.values()) if (s.project.toLowerCase() === p) byName.set(s.name, structuredClone(s));
  for (const e of catalog.list(project)) {
    const n = e.info.schema.toLowerCase();
    if (n !== DEFAULT_SCHEMA && !byName.has(n)) byName.set(n, { ...defaultSchema(project, owner), name: n });
  }
  byName.set(DEFAULT_SCHEMA, defaultSchema(project, owner));
  // By name, `default` included: marker paging resumes after the last name sent.
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function getSchema(catalog: Catalog, project: string, name: string, owner: string): SchemaInfo | undefined {
  return listSchemas(catalog, project, owner).find((s) => s.name === name.toLowerCase());
}

/** Caller holds the engine lock and a transaction; the catalog changes last, after every write succeeded. */
export async function createSchemaIn(core: SchemaCore, project: string, rawName: string, opts: CreateSchemaOptions, owner: string, pos?: SourcePos): Promise<SchemaInfo> {
  const name = checkSchemaName(rawName, pos);
  if (core.catalog.hasSchema(project, name)) {
    if (opts.ifNotExists) return getSchema(core.catalog, project, name, owner)!;
    throw alreadyExists(pos, `schema ${project}.${name}`);
  }
  const now = new Date();
  const info: SchemaInfo = { project, name, comment: opts.comment ?? '', owner: opts.owner ?? owner, createTime: now, lastModifiedTime: now };
  await core.conn.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(physicalSchema(project, name))}`);
  await core.meta.saveSchema(info);
  core.catalog.schemas.set(schemaKey(project, name), info);
  return structuredClone(info);
}

/** Caller holds the engine lock and a transaction. [UNVERIFIED] the service's rule for non-empty schemas; refused here. */
export async function dropSchemaIn(core: SchemaCore, project: string, rawName: string, opts: { ifExists?: boolean }, pos?: SourcePos): Promise<void> {
  const name = rawName.toLowerCase();
  if (name === DEFAULT_SCHEMA) throw semanticError(pos, `the default schema of ${project} cannot be dropped`);
  if (!core.catalog.hasSchema(project, name)) {
    if (opts.ifExists) return;
    throw schemaNotFound(pos, project, name);
  }
  const tables = core.catalog.list(project, name);
  if (tables.length > 0) {
    throw semanticError(pos, `schema ${project}.${name} is not empty (${tables.length} table(s), e.g. ${tables[0]!.info.name}): drop them first`);
  }
  await core.conn.run(`DROP SCHEMA IF EXISTS ${quoteIdent(physicalSchema(project, name))}`);
  await core.meta.dropSchema(project, name);
  core.catalog.schemas.delete(schemaKey(project, name));
}

/** `[project.]schema` of a schema statement; another project than the session's is refused. */
function schemaTarget(s: Session, cur: Cursor): { name: string; pos: SourcePos } {
  const { parts, token } = cur.expectName('schema name');
  const pos = cur.posOf(token);
  if (parts.length > 2) throw semanticError(pos, `invalid schema name '${parts.join('.')}'`);
  if (parts.length === 2 && parts[0]!.toLowerCase() !== s.project.toLowerCase()) {
    throw semanticError(pos, `schema ${parts.join('.')}: only schemas of the current project ${s.project} can be changed`);
  }
  return { name: parts[parts.length - 1]!, pos };
}

function requireThreeTier(s: Session, pos: SourcePos): void {
  if (!s.namespaceSchema) {
    throw semanticError(pos, `project ${s.project} does not have the three-tier model enabled (odps.namespace.schema=false)`);
  }
}

/** CREATE SCHEMA [IF NOT EXISTS] [p.]s [COMMENT '…'] (after CREATE). */
export async function createSchemaStatement(s: Session, cur: Cursor, pos: SourcePos): Promise<SqlResult> {
  cur.expectWord('SCHEMA');
  requireThreeTier(s, pos);
  const ifNotExists = cur.acceptWords('IF', 'NOT', 'EXISTS');
  const target = schemaTarget(s, cur);
  const comment = cur.acceptWord('COMMENT') ? cur.expectString('schema comment') : undefined;
  cur.expectEnd();
  await createSchemaIn(s.core, s.project, target.name, { ifNotExists, ...(comment !== undefined ? { comment } : {}) }, s.owner, target.pos);
  return { columns: [], rows: [], isSelect: false };
}

/** DROP SCHEMA [IF EXISTS] [p.]s (after DROP). */
export async function dropSchemaStatement(s: Session, cur: Cursor, pos: SourcePos): Promise<SqlResult> {
  cur.expectWord('SCHEMA');
  requireThreeTier(s, pos);
  const ifExists = cur.acceptWords('IF', 'EXISTS');
  const target = schemaTarget(s, cur);
  cur.expectEnd();
  await dropSchemaIn(s.core, s.project, target.name, { ifExists }, target.pos);
  return { columns: [], rows: [], isSelect: false };
}
