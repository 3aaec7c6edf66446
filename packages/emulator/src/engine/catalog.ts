// In-memory ODPS catalog (tables, views, partition registry) mirrored into DuckDB metadata tables.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { PartitionInfo, SchemaInfo, TableInfo } from './types.js';
import { META_SCHEMA, quoteIdent, specText, tableKey } from './physical-names.js';

export type PartitionEntry = PartitionInfo;

export interface TableEntry {
  info: TableInfo;
  /** Keyed by specText; insertion order is not significant (listing sorts). */
  partitions: Map<string, PartitionEntry>;
  /** Rows of a non-partitioned table (partitioned tables sum their partitions). */
  recordCount: number;
}

const M = quoteIdent(META_SCHEMA);

interface StoredInfo extends Omit<TableInfo, 'createTime' | 'lastDDLTime' | 'lastModifiedTime'> {
  createTime: number;
  lastDDLTime: number;
  lastModifiedTime: number;
}

/** Catalog key of a schema (names are case-insensitive). */
export function schemaKey(project: string, schema: string): string {
  return `${project.toLowerCase()}\u0000${schema.toLowerCase()}`;
}

export class Catalog {
  readonly tables = new Map<string, TableEntry>();
  /** Schemas created with CREATE SCHEMA / POST …/schemas (`default` is implicit). */
  readonly schemas = new Map<string, SchemaInfo>();

  get(project: string, schema: string, name: string): TableEntry | undefined {
    return this.tables.get(tableKey(project, schema, name));
  }

  set(entry: TableEntry): void {
    const { project, schema, name } = entry.info;
    this.tables.set(tableKey(project, schema, name), entry);
  }

  delete(project: string, schema: string, name: string): void {
    this.tables.delete(tableKey(project, schema, name));
  }

  list(project: string, schema?: string): TableEntry[] {
    const p = project.toLowerCase();
    const s = schema?.toLowerCase();
    return [...this.tables.values()].filter(
      (e) => e.info.project.toLowerCase() === p && (s === undefined || e.info.schema.toLowerCase() === s),
    );
  }

  /** Whether a schema exists: `default`, a created one, or one holding tables (data from before schemas were kept). */
  hasSchema(project: string, schema: string): boolean {
    return schema.toLowerCase() === 'default' || this.schemas.has(schemaKey(project, schema)) || this.list(project, schema).length > 0;
  }

  hasProject(project: string): boolean {
    return this.list(project).length > 0;
  }
}

/** Persistence of the catalog in DuckDB tables (same transaction as the physical DDL). */
export class MetaStore {
  constructor(private readonly conn: DuckDBConnection) {}

  async init(): Promise<void> {
    await this.conn.run(`CREATE SCHEMA IF NOT EXISTS ${M}`);
    await this.conn.run(
      `CREATE TABLE IF NOT EXISTS ${M}.tables (project VARCHAR, schema_name VARCHAR, name VARCHAR, info VARCHAR)`,
    );
    await this.conn.run(
      `CREATE TABLE IF NOT EXISTS ${M}.schemas (project VARCHAR, name VARCHAR, info VARCHAR)`,
    );
    await this.conn.run(
      `CREATE TABLE IF NOT EXISTS ${M}.partitions (project VARCHAR, schema_name VARCHAR, tbl VARCHAR, spec_key VARCHAR, spec VARCHAR, create_ms BIGINT, modified_ms BIGINT)`,
    );
  }

  async load(): Promise<Catalog> {
    const catalog = new Catalog();
    const tables = await this.conn.runAndReadAll(`SELECT info FROM ${M}.tables`);
    for (const [text] of tables.getRows()) {
      const s = JSON.parse(text as string) as StoredInfo;
      const info: TableInfo = {
        ...s,
        createTime: new Date(s.createTime),
        lastDDLTime: new Date(s.lastDDLTime),
        lastModifiedTime: new Date(s.lastModifiedTime),
      };
      catalog.set({ info, partitions: new Map(), recordCount: 0 });
    }
    for (const [text] of (await this.conn.runAndReadAll(`SELECT info FROM ${M}.schemas`)).getRows()) {
      const s = JSON.parse(text as string) as Omit<SchemaInfo, 'createTime' | 'lastModifiedTime'> & { createTime: number; lastModifiedTime: number };
      catalog.schemas.set(schemaKey(s.project, s.name), { ...s, createTime: new Date(s.createTime), lastModifiedTime: new Date(s.lastModifiedTime) });
    }
    const parts = await this.conn.runAndReadAll(
      `SELECT project, schema_name, tbl, spec, create_ms, modified_ms FROM ${M}.partitions`,
    );
    for (const [project, schema, tbl, spec, createMs, modifiedMs] of parts.getRows()) {
      const entry = catalog.get(project as string, schema as string, tbl as string);
      if (!entry) continue;
      const parsed = JSON.parse(spec as string) as Record<string, string>;
      entry.partitions.set(specText(parsed), {
        spec: parsed,
        createTime: new Date(Number(createMs)),
        lastModifiedTime: new Date(Number(modifiedMs)),
        recordCount: 0,
        size: 0,
      });
    }
    return catalog;
  }

  async saveSchema(s: SchemaInfo): Promise<void> {
    await this.dropSchema(s.project, s.name);
    const stored = { ...s, createTime: s.createTime.getTime(), lastModifiedTime: s.lastModifiedTime.getTime() };
    await this.conn.run(`INSERT INTO ${M}.schemas VALUES ($1, $2, $3)`, [s.project.toLowerCase(), s.name.toLowerCase(), JSON.stringify(stored)]);
  }

  async dropSchema(project: string, name: string): Promise<void> {
    await this.conn.run(`DELETE FROM ${M}.schemas WHERE project = $1 AND name = $2`, [project.toLowerCase(), name.toLowerCase()]);
  }

  async saveTable(info: TableInfo): Promise<void> {
    await this.deleteTableRow(info.project, info.schema, info.name);
    const stored: StoredInfo = {
      ...info,
      createTime: info.createTime.getTime(),
      lastDDLTime: info.lastDDLTime.getTime(),
      lastModifiedTime: info.lastModifiedTime.getTime(),
    };
    await this.conn.run(`INSERT INTO ${M}.tables VALUES ($1, $2, $3, $4)`, [
      info.project.toLowerCase(), info.schema.toLowerCase(), info.name.toLowerCase(), JSON.stringify(stored),
    ]);
  }

  private async deleteTableRow(project: string, schema: string, name: string): Promise<void> {
    await this.conn.run(`DELETE FROM ${M}.tables WHERE project = $1 AND schema_name = $2 AND name = $3`, [
      project.toLowerCase(), schema.toLowerCase(), name.toLowerCase(),
    ]);
  }

  async dropTable(project: string, schema: string, name: string): Promise<void> {
    await this.deleteTableRow(project, schema, name);
    await this.conn.run(`DELETE FROM ${M}.partitions WHERE project = $1 AND schema_name = $2 AND tbl = $3`, [
      project.toLowerCase(), schema.toLowerCase(), name.toLowerCase(),
    ]);
  }

  async savePartition(info: TableInfo, p: PartitionEntry): Promise<void> {
    await this.dropPartition(info, p.spec);
    await this.conn.run(`INSERT INTO ${M}.partitions VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
      info.project.toLowerCase(), info.schema.toLowerCase(), info.name.toLowerCase(), specText(p.spec),
      JSON.stringify(p.spec), BigInt(p.createTime.getTime()), BigInt(p.lastModifiedTime.getTime()),
    ]);
  }

  async dropPartition(info: TableInfo, spec: Record<string, string>): Promise<void> {
    await this.conn.run(
      `DELETE FROM ${M}.partitions WHERE project = $1 AND schema_name = $2 AND tbl = $3 AND spec_key = $4`,
      [info.project.toLowerCase(), info.schema.toLowerCase(), info.name.toLowerCase(), specText(spec)],
    );
  }
}
