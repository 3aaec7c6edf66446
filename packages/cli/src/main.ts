// The `odps` program: commander setup, every command, and how a failure is reported (code mapping: errors.ts).
import os from 'node:os';
import { Command, CommanderError } from 'commander';
import { CredentialsError } from '@odps-ts/auth';
import { OdpsError } from '@odps-ts/odps-client';
import { addGlobalFlags } from './config/global-flags.js';
import type { CliIo } from './context.js';
import { EXIT_OK, EXIT_USAGE, exitCodeFor, InterruptedError } from './errors.js';
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

/** Writes the error's message to stderr (secrets in URLs masked) and returns its exit code (errors.ts). */
export function reportError(err: unknown, io: CliIo): number {
  const code = exitCodeFor(err);
  const say = (line: string): void => {
    io.stderr.write(`${redactSecrets(line)}\n`);
  };
  // Commander already printed its message (help, version, unknown option...).
  if (err instanceof CommanderError) return code;
  if (err instanceof InterruptedError) {
    say(`odps: ${err.message}`);
  } else if (err instanceof CredentialsError) {
    say(`odps: ${code === EXIT_USAGE ? 'error: ' : ''}credentials: ${err.message}`);
  } else if (code === EXIT_USAGE) {
    say(`odps: error: ${(err as Error).message}`);
  } else if (err instanceof OdpsError) {
    say(`odps: ${err.name}: ${err.message}`);
    if (err.requestId) say(`request id: ${err.requestId}`);
    const instanceId = (err as { instanceId?: string }).instanceId;
    if (instanceId) say(`instance id: ${instanceId}`);
  } else {
    say(`odps: ${(err as Error | undefined)?.message ?? String(err)}`);
  }
  return code;
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
