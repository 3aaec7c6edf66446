// What a command runs with: its streams, environment, global flags, and the lazily built client.
import type { Readable, Writable } from 'node:stream';
import { ODPS } from '@odps-ts/odps-client';
import { clientOptions, resolveConfig, type ResolvedConfig } from './config/resolve.js';
import type { GlobalFlags } from './config/global-flags.js';
import { isInteractive } from './progress/tty.js';

export interface CliIo {
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean };
  stdin: Readable;
  env: NodeJS.ProcessEnv;
  cwd: string;
  home: string | undefined;
}

export interface ContextFlags extends GlobalFlags {
  /** `--no-progress` sets this false. */
  progress?: boolean;
}

export class CommandContext {
  private resolved?: ResolvedConfig;
  private odps?: ODPS;

  constructor(readonly io: CliIo, readonly flags: ContextFlags) {}

  config(): ResolvedConfig {
    this.resolved ??= resolveConfig({ flags: this.flags, env: this.io.env, cwd: this.io.cwd, home: this.io.home });
    return this.resolved;
  }

  client(): ODPS {
    this.odps ??= new ODPS(clientOptions(this.config()));
    return this.odps;
  }

  /** Progress bars only when stderr is a terminal and the user did not turn them off. */
  get showProgress(): boolean {
    return this.flags.progress !== false && isInteractive(this.io.stderr, this.io.env);
  }

  /** Data on a terminal gets the human table format by default. */
  get stdoutIsTTY(): boolean {
    return isInteractive(this.io.stdout, this.io.env);
  }

  /** Columns of the terminal stdout is (COLUMNS overrides); undefined off a terminal: nothing to fit. */
  get terminalWidth(): number | undefined {
    if (!this.stdoutIsTTY) return undefined;
    const env = Number(this.io.env['COLUMNS']);
    if (Number.isSafeInteger(env) && env > 0) return env;
    return this.io.stdout.columns && this.io.stdout.columns > 0 ? this.io.stdout.columns : undefined;
  }

  /** A line for the human on stderr (status, hints); never data. */
  note(line: string): void {
    this.io.stderr.write(`${line}\n`);
  }

  async close(): Promise<void> {
    await this.odps?.close();
  }
}
