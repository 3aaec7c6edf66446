// The `odps` program: commander setup and every command. It loads only commander at startup: each command's
// code, the client and the error reporting (report-error.ts) are imported when they are needed.
import os from 'node:os';
import { Command, CommanderError } from 'commander';
import { addGlobalFlags } from './config/global-flags.js';
import type { CliIo } from './context.js';
import { EXIT_OK, EXIT_USAGE, isHelpExit } from './errors.js';
import { redactSecrets } from './redact.js';
import { registerCommands } from './commands/index.js';

export const CLI_VERSION = '0.1.0';

export function defaultIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd(), home: os.homedir() };
}

export function buildProgram(io: CliIo): Command {
  const program = new Command('odps')
    .description('MaxCompute (ODPS) from the command line: tables, SQL, tunnel transfers, instances, a local emulator.')
    .version(CLI_VERSION)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(redactSecrets(s)) });
  addGlobalFlags(program);
  program.option('--no-progress', 'never draw progress bars (they are drawn only when stderr is a terminal)');
  registerCommands(program, io);
  return program;
}

/** Run `odps` with argv (without node and script) and return the exit code. */
export async function main(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT_OK;
  } catch (err) {
    // Commander printed its own message; help and version must not pay for loading the client libraries.
    if (err instanceof CommanderError) return isHelpExit(err) ? EXIT_OK : EXIT_USAGE;
    const { reportError } = await import('./report-error.js');
    return reportError(err, io);
  }
}
