// Public surface of @odps-ts/cli: run the program in-process, and the config resolution it uses.
export { main, buildProgram, defaultIo, CLI_VERSION } from './main.js';
export { reportError } from './report-error.js';
export type { CliIo } from './context.js';
export { resolveConfig, clientOptions } from './config/resolve.js';
export type { ResolvedConfig, ResolveInput } from './config/resolve.js';
export type { GlobalFlags } from './config/global-flags.js';
export { parseIni } from './config/ini.js';
export { toCellText, toJsonValue } from './output/value-text.js';
export { EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INTERRUPTED, UsageError, LocalFileError, InterruptedError } from './errors.js';
export { exitCodeFor } from './exit-code.js';
