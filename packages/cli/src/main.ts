// The `odps` program: commander setup, every command, and the mapping of failures to exit codes.
import os from 'node:os';
import { Command, CommanderError } from 'commander';
import { CredentialsError } from '@odps-ts/auth';
import { OdpsArgumentError, OdpsError } from '@odps-ts/odps-client';
import { addGlobalFlags } from './config/global-flags.js';
import type { CliIo } from './context.js';
import { EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, InterruptedError, UsageError } from './errors.js';
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
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  addGlobalFlags(program);
  program.option('--no-progress', 'never draw progress bars (they are drawn only when stderr is a terminal)');
  registerCommands(program, io);
  return program;
}

/** Exit code for an error thrown by a command, after writing its message to stderr. */
export function reportError(err: unknown, io: CliIo): number {
  const say = (line: string): void => {
    io.stderr.write(`${line}\n`);
  };
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT_OK;
    // commander already printed its message.
    return EXIT_USAGE;
  }
  if (err instanceof InterruptedError) {
    say(`odps: ${err.message}`);
    return EXIT_INTERRUPTED;
  }
  if (err instanceof UsageError || err instanceof OdpsArgumentError) {
    say(`odps: error: ${err.message}`);
    return EXIT_USAGE;
  }
  if (err instanceof OdpsError) {
    say(`odps: ${err.name}: ${err.message}`);
    if (err.requestId) say(`request id: ${err.requestId}`);
    const instanceId = (err as { instanceId?: string }).instanceId;
    if (instanceId) say(`instance id: ${instanceId}`);
    return EXIT_ERROR;
  }
  if (err instanceof CredentialsError) {
    say(`odps: credentials: ${err.message}`);
    return EXIT_ERROR;
  }
  const e = err as NodeJS.ErrnoException;
  say(`odps: ${e?.message ?? String(err)}`);
  return EXIT_ERROR;
}

/** Run `odps` with argv (without node and script) and return the exit code. */
export async function main(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT_OK;
  } catch (err) {
    return reportError(err, io);
  }
}
