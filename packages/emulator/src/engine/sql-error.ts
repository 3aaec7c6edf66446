// SqlError: ODPS-style SQL failures ('ODPS-0130161:[1,8] Parse exception - ...') and their factories.

/** Broad class of a failure, so the server can pick an HTTP status / error Code without parsing messages. */
export type SqlErrorKind = 'parse' | 'semantic' | 'no_such_table' | 'no_such_partition' | 'no_such_schema' | 'already_exists' | 'runtime';

export class SqlError extends Error {
  override name = 'SqlError';
  constructor(
    readonly odpsCode: string,
    message: string,
    readonly kind: SqlErrorKind = 'semantic',
  ) {
    super(message);
  }
}

export interface SourcePos {
  line: number;
  col: number;
}

function at(pos: SourcePos | undefined): string {
  return pos ? `[${pos.line},${pos.col}]` : '[0,0]';
}

export function parseError(pos: SourcePos | undefined, detail: string): SqlError {
  return new SqlError('ODPS-0130161', `ODPS-0130161:${at(pos)} Parse exception - ${detail}`, 'parse');
}

export function semanticError(pos: SourcePos | undefined, detail: string): SqlError {
  return new SqlError('ODPS-0130071', `ODPS-0130071:${at(pos)} Semantic analysis exception - ${detail}`, 'semantic');
}

/** A call of a function MaxCompute does not have (or the emulator does not offer). */
export function functionNotFound(pos: SourcePos | undefined, name: string): SqlError {
  return semanticError(pos, `Function ${name} not found`);
}

/** ODPS-0123031 is the code MaxCompute documents for an invalid dynamic partition value. */
export function invalidDynamicPartition(pos: SourcePos | undefined, detail: string): SqlError {
  return new SqlError('ODPS-0123031', `ODPS-0123031:${at(pos)} Partition exception - ${detail}`, 'runtime');
}

export function tableNotFound(pos: SourcePos | undefined, project: string, table: string): SqlError {
  return new SqlError(
    'ODPS-0130131',
    `ODPS-0130131:${at(pos)} Table not found - table ${project}.${table} cannot be resolved`,
    'no_such_table',
  );
}

export function partitionNotFound(pos: SourcePos | undefined, table: string, spec: string): SqlError {
  return new SqlError(
    'ODPS-0130131',
    `ODPS-0130131:${at(pos)} Partition not found - partition ${spec} of table ${table} does not exist`,
    'no_such_partition',
  );
}

export function schemaNotFound(pos: SourcePos | undefined, project: string, schema: string): SqlError {
  return new SqlError('ODPS-0110061', `ODPS-0110061:${at(pos)} Failed to get schema - schema '${project}.${schema}' does not exist`, 'no_such_schema');
}

export function alreadyExists(pos: SourcePos | undefined, what: string): SqlError {
  return new SqlError('ODPS-0130071', `ODPS-0130071:${at(pos)} Semantic analysis exception - ${what} already exists`, 'already_exists');
}

/** Anything else DuckDB (or the engine) failed with; the real service reports these as internal errors. */
export function internalError(detail: string): SqlError {
  return new SqlError('ODPS-0010000', `ODPS-0010000:System internal error - ${detail}`, 'runtime');
}

/** The query was interrupted because its instance was stopped. */
export function queryCancelled(): SqlError {
  return new SqlError('ODPS-0010000', 'ODPS-0010000:System internal error - the query was cancelled: its instance was stopped', 'runtime');
}

/** The query held the engine longer than the emulator allows (EngineOptions.maxQueryMs). */
export function queryTimedOut(maxMs: number): SqlError {
  return new SqlError(
    'ODPS-0010000',
    `ODPS-0010000:System internal error - the query ran longer than the emulator's maximum query time of ${maxMs} ms and was interrupted (maxQueryMs / --max-query-time)`,
    'runtime',
  );
}

/** First line of a DuckDB error without its "LINE n:" excerpt (never a stack). */
function duckSummary(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.length > 500 ? line.slice(0, 500) + '…' : line;
}

/** Map an error thrown by DuckDB while running translated SQL onto an ODPS-style SqlError. */
export function fromDuckError(err: unknown, pos: SourcePos | undefined): SqlError {
  if (err instanceof SqlError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const summary = duckSummary(message);
  const detail = summary.replace(/^[A-Za-z ]+Error: /, '');
  if (/^Parser Error/.test(summary)) return parseError(pos, detail);
  if (/^(Binder|Catalog|Not implemented|Dependency) Error/.test(summary)) return semanticError(pos, detail);
  if (/^(Conversion|Out of Range|Invalid Input) Error/.test(summary)) {
    return new SqlError('ODPS-0123091', `ODPS-0123091:${at(pos)} Illegal type cast - ${detail}`, 'runtime');
  }
  if (/^Constraint Error/.test(summary)) return semanticError(pos, detail);
  return internalError(detail);
}
