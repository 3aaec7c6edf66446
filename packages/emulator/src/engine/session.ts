// One script run: current project/schema/owner/hints, name resolution, query execution and partition statistics.
import type { DuckDBConnection, DuckDBType } from '@duckdb/node-api';
import type { Catalog, MetaStore, TableEntry } from './catalog.js';
import type { QueryControl } from './query-control.js';
import { schemaKey } from './catalog.js';
import { resultRows } from './read-rows.js';
import { physicalSchema, physicalTable, quoteIdent, quoteLiteral, specText } from './physical-names.js';

function specWhereSql(spec: Record<string, string>): string {
  return Object.entries(spec).map(([k, v]) => `${quoteIdent(k)} = ${quoteLiteral(v)}`).join(' AND ') || 'TRUE';
}
import { resultColumns } from './result-columns.js';
import { partitionValueProblem } from '@odps-ts/odps-client';
import { fromDuckError, invalidDynamicPartition, schemaNotFound, semanticError, tableNotFound } from './sql-error.js';
import { invalidValueMessage } from './statements/partition-spec.js';
import type { SourcePos } from './sql-error.js';
import type { SnapshotInfo, SqlResult } from './types.js';
import { rewriteLateralViews } from './sql/lateral-view.js';
import { translateQuery } from './sql/translate.js';
import type { TableResolver } from './sql/translate.js';
import type { Token } from './sql/tokenizer.js';
import type { UserFunction, UserFunctionLookup } from './sql/user-functions.js';

export interface EngineCore {
  conn: DuckDBConnection;
  catalog: Catalog;
  meta: MetaStore;
  /** Store a query result in DuckDB when it is large (see ExecuteOptions.keepResultOver). */
  keepQueryResult?(sql: string, keepOver: number): Promise<KeptResult | undefined>;
  dropSnapshotLocked?(id: string): Promise<void>;
  /** Cancellation of the script being run (absent: DuckDB calls run uncontrolled). */
  control?: QueryControl;
}

/** A query result run into a result table: its first rows, and a snapshot of all of them when large. */
export interface KeptResult {
  names: string[];
  types: DuckDBType[];
  rows: unknown[][];
  snapshot?: SnapshotInfo;
}

export interface QualifiedName {
  project: string;
  schema: string;
  name: string;
}

export class Session implements TableResolver {
  /** Tables a translated query referenced (declared column types for results; stats refresh). */
  readonly touched = new Map<string, TableEntry>();
  /** ExecuteOptions.keepResultOver of the script. */
  keepResultOver: number | undefined;
  /** ExecuteOptions.namespaceSchema: CREATE/DROP SCHEMA allowed. */
  namespaceSchema = true;
  /** Two-part names are schema.table (three-tier project, or the `odps.namespace.schema=true` setting). */
  threeTierNames = false;
  /** ExecuteOptions.functions of the script. */
  functions: UserFunctionLookup | undefined;

  constructor(
    readonly core: EngineCore,
    readonly project: string,
    public schema: string,
    readonly owner: string,
    readonly hints: Record<string, string>,
  ) {}

  get conn(): DuckDBConnection {
    return this.core.conn;
  }

  /**
   * ODPS name resolution: t, project.t (or schema.t when `a` is a schema of the current project, and
   * always in three-tier sessions), project.schema.t.
   */
  qualify(parts: string[], pos: SourcePos): QualifiedName {
    const lower = parts.map((p) => p.toLowerCase());
    if (lower.length === 1) return { project: this.project, schema: this.schema, name: lower[0]! };
    if (lower.length === 2) {
      const [a, t] = lower as [string, string];
      // Clients that set no schema still write `project.table` (two-tier DDL): the current project's own name stays a project.
      const ownProject = a === this.project.toLowerCase() && !this.core.catalog.schemas.has(schemaKey(this.project, a));
      if (this.threeTierNames && !ownProject) return { project: this.project, schema: a, name: t };
      if (a !== this.project.toLowerCase() && !this.core.catalog.hasProject(a) && this.core.catalog.hasSchema(this.project, a)) {
        return { project: this.project, schema: a, name: t };
      }
      return { project: a, schema: 'default', name: t };
    }
    if (lower.length === 3) return { project: lower[0]!, schema: lower[1]!, name: lower[2]! };
    throw semanticError(pos, `invalid table name '${parts.join('.')}'`);
  }

  lookup(parts: string[], pos: SourcePos): QualifiedName & { entry: TableEntry | undefined } {
    const q = this.qualify(parts, pos);
    return { ...q, entry: this.core.catalog.get(q.project, q.schema, q.name) };
  }

  require(parts: string[], pos: SourcePos): TableEntry {
    const r = this.lookup(parts, pos);
    if (!r.entry) throw tableNotFound(pos, r.project, r.schema === 'default' ? r.name : `${r.schema}.${r.name}`);
    return r.entry;
  }

  resolve(parts: string[], token: Token): string {
    const e = this.require(parts, token);
    this.touched.set(physicalTable(e.info.project, e.info.schema, e.info.name), e);
    return physicalTable(e.info.project, e.info.schema, e.info.name);
  }

  maxPartition(parts: string[], token: Token): string | undefined {
    const e = this.require(parts, token);
    const key = e.info.partitionKeys[0]?.name;
    if (key === undefined) throw semanticError(token, `MAX_PT: table ${e.info.name} is not partitioned`);
    let best: string | undefined;
    for (const p of e.partitions.values()) {
      if (p.recordCount === 0) continue;
      const v = p.spec[key]!;
      if (best === undefined || v > best) best = v;
    }
    return best;
  }

  userFunction(name: string): UserFunction | undefined {
    return this.functions?.(name);
  }

  translate(tokens: Token[]): string {
    return translateQuery(rewriteLateralViews(tokens), this);
  }

  /** The DuckDB schema of an ODPS schema, which must exist (created, or `default`). */
  async ensureSchema(project: string, schema: string): Promise<void> {
    if (!this.core.catalog.hasSchema(project, schema)) throw schemaNotFound(undefined, project, schema);
    await this.conn.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(physicalSchema(project, schema))}`);
  }

  /**
   * Run a DuckDB query and convert its result to ODPS columns and value-model rows. `keep`: the
   * script's own query, whose large result may stay in DuckDB (keepResultOver).
   */
  async select(sql: string, pos: SourcePos, limit?: number, keep = false): Promise<SqlResult> {
    if (keep && limit === undefined && this.keepResultOver !== undefined && this.core.keepQueryResult) {
      let kept: KeptResult | undefined;
      try {
        kept = await this.core.keepQueryResult(sql, this.keepResultOver);
      } catch (err) {
        throw fromDuckError(err, pos);
      }
      if (kept) {
        const columns = resultColumns(kept.names, kept.types, this.declaredTypes());
        return { columns, rows: kept.rows, isSelect: true, ...(kept.snapshot ? { snapshot: kept.snapshot } : {}) };
      }
    }
    let result;
    let rows: unknown[][];
    try {
      const text = limit === undefined ? sql : `SELECT * FROM (${sql}) LIMIT ${limit}`;
      const ran = await this.controlled(async () => {
        const r = await this.conn.run(text);
        return { r, rows: await resultRows(r) };
      });
      result = ran.r;
      rows = ran.rows;
    } catch (err) {
      throw fromDuckError(err, pos);
    }
    const columns = resultColumns(result.columnNames(), result.columnTypes(), this.declaredTypes());
    return { columns, rows, isSelect: true };
  }

  private controlled<T>(fn: () => Promise<T>): Promise<T> {
    return this.core.control ? this.core.control.run(fn) : fn();
  }

  /** Declared types of the touched tables' columns, by name (names declared with two types left out). */
  private declaredTypes(): Map<string, string> {
    const declared = new Map<string, string>();
    const ambiguous = new Set<string>();
    for (const e of this.touched.values()) {
      for (const c of [...e.info.columns, ...e.info.partitionKeys]) {
        const k = c.name.toLowerCase();
        if (declared.has(k) && declared.get(k) !== c.type) ambiguous.add(k);
        declared.set(k, c.type);
      }
    }
    for (const k of ambiguous) declared.delete(k);
    return declared;
  }

  /** Run DuckDB SQL that returns no rows, mapping failures to ODPS errors. */
  async exec(sql: string, pos: SourcePos): Promise<void> {
    try {
      await this.controlled(() => this.conn.run(sql));
    } catch (err) {
      throw fromDuckError(err, pos);
    }
  }

  /**
   * Recount rows per partition after a write, registering partitions that appeared (dynamic
   * partitions) and stamping modification times on the written ones.
   */
  async refreshStats(
    entry: TableEntry,
    written: Record<string, string>[] | 'all',
    pos?: SourcePos,
    onlyWritten = false,
  ): Promise<void> {
    const info = entry.info;
    const phys = physicalTable(info.project, info.schema, info.name);
    const now = new Date();
    const rowWidth = Math.max(1, info.columns.length) * 8;
    const writtenKeys = new Set(written === 'all' ? [] : written.map(specText));
    if (onlyWritten && written !== 'all' && info.partitionKeys.length > 0) {
      // Tunnel-style writes touch known partitions only: count just those (uploads arrive in many calls).
      for (const spec of written) {
        const r = await this.conn.runAndReadAll(`SELECT count(*) FROM ${phys} WHERE ${specWhereSql(spec)}`);
        const p = entry.partitions.get(specText(spec));
        if (!p) continue;
        p.recordCount = Number(r.getRows()[0]![0]);
        p.size = p.recordCount * rowWidth;
        p.lastModifiedTime = now;
        await this.core.meta.savePartition(info, p);
      }
      entry.recordCount = [...entry.partitions.values()].reduce((s, p) => s + p.recordCount, 0);
    } else if (info.partitionKeys.length === 0) {
      const r = await this.conn.runAndReadAll(`SELECT count(*) FROM ${phys}`);
      entry.recordCount = Number(r.getRows()[0]![0]);
    } else {
      const keys = info.partitionKeys.map((k) => k.name);
      const r = await this.conn.runAndReadAll(
        `SELECT ${keys.map(quoteIdent).join(', ')}, count(*) FROM ${phys} GROUP BY ALL`,
      );
      const seen = new Set<string>();
      for (const row of r.getRows()) {
        const spec: Record<string, string> = {};
        keys.forEach((k, i) => {
          const v = row[i];
          if (v === null || v === undefined) throw semanticError(pos, `partition column ${k} got a NULL value`);
          spec[k] = String(v);
        });
        const key = specText(spec);
        seen.add(key);
        const count = Number(row[keys.length]);
        let p = entry.partitions.get(key);
        if (!p) {
          // A dynamic partition is born here from row data: hold it to the same rules as a static spec.
          for (const [k, v] of Object.entries(spec)) {
            const problem = partitionValueProblem(v);
            if (problem) throw invalidDynamicPartition(pos, `${invalidValueMessage(k, problem)}: ${JSON.stringify(v.slice(0, 80))}`);
          }
          p = { spec, createTime: now, lastModifiedTime: now, recordCount: count, size: count * rowWidth };
          entry.partitions.set(key, p);
          await this.core.meta.savePartition(info, p);
          continue;
        }
        const changed = p.recordCount !== count || written === 'all' || writtenKeys.has(key);
        p.recordCount = count;
        p.size = count * rowWidth;
        if (changed) {
          p.lastModifiedTime = now;
          await this.core.meta.savePartition(info, p);
        }
      }
      for (const [key, p] of entry.partitions) {
        if (seen.has(key)) continue;
        const changed = p.recordCount !== 0 || writtenKeys.has(key);
        p.recordCount = 0;
        p.size = 0;
        if (changed) {
          p.lastModifiedTime = now;
          await this.core.meta.savePartition(info, p);
        }
      }
      entry.recordCount = [...entry.partitions.values()].reduce((s, p) => s + p.recordCount, 0);
    }
    info.lastModifiedTime = now;
    await this.core.meta.saveTable(info);
  }
}
