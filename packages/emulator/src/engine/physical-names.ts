// How ODPS names map onto DuckDB objects, plus SQL quoting helpers for generated DuckDB SQL.

/** DuckDB schema holding the emulator's own metadata tables. */
export const META_SCHEMA = '__odps_meta';

export function quoteIdent(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

export function quoteLiteral(text: string): string {
  return "'" + text.replace(/'/g, "''") + "'";
}

/**
 * One DuckDB schema per (project, ODPS schema). The name is only ever used quoted, so any project
 * name works; ':' cannot appear in ODPS names, so distinct pairs never collide.
 */
export function physicalSchema(project: string, schema: string): string {
  return `odps:${project.toLowerCase()}:${schema.toLowerCase()}`;
}

/** Fully qualified, quoted DuckDB name of an ODPS table or view. */
export function physicalTable(project: string, schema: string, table: string): string {
  return `${quoteIdent(physicalSchema(project, schema))}.${quoteIdent(table.toLowerCase())}`;
}

/** Catalog map key of a table: names are case-insensitive in ODPS. */
export function tableKey(project: string, schema: string, table: string): string {
  return `${project.toLowerCase()}\u0000${schema.toLowerCase()}\u0000${table.toLowerCase()}`;
}

/** Canonical partition spec text, 'ds=2025/hh=08' (also the registry key). */
export function specText(spec: Record<string, string>): string {
  return Object.entries(spec)
    .map(([k, v]) => `${k}=${v}`)
    .join('/');
}

/** The ODPS SQL form of a spec, "ds='2025',hh='08'" (for messages). */
export function specSql(spec: Record<string, string>): string {
  return Object.entries(spec)
    .map(([k, v]) => `${k}='${v.replace(/'/g, "\\'")}'`)
    .join(',');
}
