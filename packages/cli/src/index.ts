// Public surface of @odps-ts/cli: run the program in-process, and the config resolution it uses.
export { main, buildProgram, defaultIo, CLI_VERSION } from './main.js';
export { reportError } from './report-error.js';
export type { CliIo } from './context.js';
export { resolveConfig, clientOptions } from './config/resolve.js';
export type { ResolvedConfig, ResolveInput } from './config/resolve.js';
export type { GlobalFlags } from './config/global-flags.js';
export { parseIni, type IniValues } from './config/ini.js';
export type { CredentialChoice } from './config/credentials.js';
export type { Sourced } from './config/sources.js';
export { toCellText, toJsonValue, type ValueTextOptions, type BinaryEncoding } from './output/value-text.js';
export { EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INTERRUPTED, UsageError, LocalFileError, InterruptedError } from './errors.js';
export { exitCodeFor } from './exit-code.js';
