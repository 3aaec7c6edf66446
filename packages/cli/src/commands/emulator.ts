// `odps emulator`: run a local MaxCompute emulator until Ctrl-C and print how to point clients at it.
import type { Command } from 'commander';
import type * as EmulatorModule from '@odps-ts/emulator';
import type { StartEmulatorOptions } from '@odps-ts/emulator';
import { commandAction } from '../command-action.js';
import type { CliIo, CommandContext } from '../context.js';
import { UsageError } from '../errors.js';
import { positiveInt } from './options.js';

interface EmulatorOptions {
  port?: number;
  host?: string;
  data?: string;
  seed?: boolean;
  verbose?: boolean;
}

function portNumber(value: string): number {
  if (value === '0') return 0;
  return positiveInt('--port')(value);
}

/** The message (exit 2) when the optional peer package is not installed. */
export const EMULATOR_MISSING = 'install @odps-ts/emulator to use odps emulator (npm install @odps-ts/emulator)';

/**
 * The emulator is an optional peer dependency (it pulls in DuckDB, ~70 MB): loaded only here, and its
 * absence is a setup problem the user fixes, not a crash.
 */
async function loadEmulator(): Promise<typeof EmulatorModule> {
  try {
    return await import('@odps-ts/emulator');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ERR_MODULE_NOT_FOUND' && e.message.includes("'@odps-ts/emulator'")) throw new UsageError(EMULATOR_MISSING, { cause: err });
    throw err;
  }
}

async function run(ctx: CommandContext, opts: EmulatorOptions): Promise<void> {
  const { DEFAULT_ACCESS_KEY_SECRET, startEmulator, stderrLogger } = await loadEmulator();
  const f = ctx.flags;
  const options: StartEmulatorOptions = {
    port: opts.port ?? 0,
    logger: stderrLogger(opts.verbose ?? false, (line) => ctx.note(line)),
    ...(opts.host ? { host: opts.host } : {}),
    ...(opts.data ? { dataDir: opts.data } : {}),
    ...(opts.seed === false ? { seed: false } : {}),
    ...(f.project ? { project: f.project } : {}),
    ...(f.accessId ? { accessKeyId: f.accessId } : {}),
    ...(f.accessKey ? { accessKeySecret: f.accessKey } : {}),
  };
  const emu = await startEmulator(options);
  // The default secret is a documented, public test value; a secret the user chose is never echoed.
  const secret = emu.accessKeySecret === DEFAULT_ACCESS_KEY_SECRET ? emu.accessKeySecret : '<the --access-key you gave>';
  ctx.io.stdout.write(
    [
      `export ODPS_ENDPOINT=${emu.endpoint}`,
      `export ODPS_PROJECT_NAME=${emu.project}`,
      `export ODPS_TUNNEL_ENDPOINT=${emu.tunnelEndpoint}`,
      `export ALIBABA_CLOUD_ACCESS_KEY_ID=${emu.accessKeyId}`,
      `export ALIBABA_CLOUD_ACCESS_KEY_SECRET=${secret}`,
      `# or rotating STS credentials: export ALIBABA_CLOUD_CREDENTIALS_URI=${emu.credentialsUri}`,
      '',
    ].join('\n'),
  );
  ctx.note(`emulator listening on ${emu.endpoint} (project ${emu.project}); press Ctrl-C to stop`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  ctx.note('stopping emulator');
  await emu.close();
}

export function registerEmulator(program: Command, io: CliIo): void {
  program
    .command('emulator')
    .description('start a local MaxCompute emulator (uses --project/--access-id/--access-key when given) and run until Ctrl-C')
    .option('--port <n>', 'TCP port (default 0: a free port)', portNumber)
    .option('--host <addr>', 'bind address (default 127.0.0.1)')
    .option('--data <dir>', 'keep tables in <dir> (default: in memory)')
    .option('--no-seed', 'do not create the demo tables')
    .option('--verbose', 'log every request to stderr')
    .action(commandAction<EmulatorOptions>(io, (ctx, _args, opts) => run(ctx, opts)));
}
