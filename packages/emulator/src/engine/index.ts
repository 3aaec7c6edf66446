// Public surface of the emulator's SQL engine.
export { createEngine } from './engine.js';
export { SqlError } from './sql-error.js';
export type { SqlErrorKind } from './sql-error.js';
export { seedDemo } from './seed-demo.js';
export type { SeedDemoOptions } from './seed-demo.js';
export { parseSqlFunctionDefinition } from './sql/user-functions.js';
export type { UserFunction, UserFunctionLookup, SqlFunctionDefinition } from './sql/user-functions.js';
export type {
  Engine, EngineOptions, ExecuteOptions, PartitionInfo, ReadRowsOptions, ReadSnapshotOptions, SnapshotInfo, SqlResult, TableInfo,
  WriteRowsOptions, ClusterInfo, SchemaInfo, CreateSchemaOptions,
} from './types.js';
