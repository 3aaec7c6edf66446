// Public surface of @odps-ts/emulator: the in-process server, its fault controls and the engine contract.
export {
  startEmulator,
  DEFAULT_ACCESS_KEY_ID,
  DEFAULT_ACCESS_KEY_SECRET,
  DEFAULT_PROJECT,
  DEFAULT_OWNER,
  type Emulator,
  type StartEmulatorOptions,
} from './start-emulator.js';
export type { AllowedHosts } from './server/host-check.js';
export { FaultController } from './server/faults/fault-controller.js';
export { faultPresets, type FaultRule, type FaultSettings, type FaultDecision } from './server/faults/fault-rule.js';
export { stderrLogger, silentLogger, type EmulatorLogger } from './server/logger.js';
export { runCli, parseCliArgs, type CliIo } from './cli.js';
export { createEngine, seedDemo, SqlError } from './engine/index.js';
export type {
  Engine, EngineOptions, TableInfo, PartitionInfo, SqlResult, SqlErrorKind, SnapshotInfo, ClusterInfo, SchemaInfo, SeedDemoOptions,
  CreateSchemaOptions, UserFunctionLookup, UserFunction, SqlFunctionDefinition, ExecuteOptions, ReadRowsOptions, ReadSnapshotOptions, WriteRowsOptions,
} from './engine/index.js';
