// `odps-emulator` command line: parse flags, start the emulator, print `endpoint=<url>`, stop on signals.
import { parseArgs } from 'node:util';
import { stderrLogger } from './server/logger.js';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_PROJECT, startEmulator, type Emulator, type StartEmulatorOptions } from './start-emulator.js';

const USAGE = `Usage: odps-emulator [options]

Runs a local MaxCompute (ODPS) compatible server.

Options:
  --port <n>          TCP port (default 0 = a free port)
  --host <addr>       bind address (default 127.0.0.1); any other than loopback
                      prints a warning: the credentials URI is unauthenticated
  --allowed-host <name>
                      also answer requests whose Host header is <name> (repeatable;
                      localhost, 127.0.0.1, [::1] and the --host name always are)
  --allow-any-host    answer any Host header (turns off the DNS-rebinding guard)
  --data <dir>        keep tables, resources and functions in <dir> (default: in memory)
  --project <name>    project name (default ${DEFAULT_PROJECT})
  --access-id <id>    root AccessKey id (default ${DEFAULT_ACCESS_KEY_ID})
  --access-key <key>  root AccessKey secret (default: the documented emulator default)
  --no-seed           do not create the demo tables
  --page-size <n>     default page size of listings (default 100)
  --sts-lifetime <s>  lifetime of STS credentials from /credentials (default 3600)
  --max-query-time <s>
                      interrupt and fail a SQL instance holding the engine longer
                      than this (default 300)
  --time-zone <zone>  project time zone, e.g. Asia/Shanghai (default UTC)
  --namespace-schema  turn the three-tier (schema) model on
  --verbose           log every request to stderr
  -h, --help          show this help

Prints one line "endpoint=<url>" to stdout once ready; everything else goes to stderr.
Stops cleanly on SIGINT/SIGTERM.`;

export interface CliIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  /** Register a handler for termination signals; returns an unregister function. */
  onSignal: (handler: (signal: string) => void) => () => void;
}

const processIo: CliIo = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  onSignal: (handler) => {
    const h = (sig: NodeJS.Signals) => handler(sig);
    process.on('SIGINT', h);
    process.on('SIGTERM', h);
    return () => {
      process.off('SIGINT', h);
      process.off('SIGTERM', h);
    };
  },
};

function intOption(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got '${text}'`);
  return n;
}

/** Parse argv into emulator options, or 'help'. Throws on bad flags. */
export function parseCliArgs(argv: string[], writeLog?: (line: string) => void): StartEmulatorOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'allowed-host': { type: 'string', multiple: true },
      'allow-any-host': { type: 'boolean' },
      data: { type: 'string' },
      project: { type: 'string' },
      'access-id': { type: 'string' },
      'access-key': { type: 'string' },
      'no-seed': { type: 'boolean' },
      'page-size': { type: 'string' },
      'sts-lifetime': { type: 'string' },
      'max-query-time': { type: 'string' },
      'time-zone': { type: 'string' },
      'namespace-schema': { type: 'boolean' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const port = intOption('port', values.port);
  const pageSize = intOption('page-size', values['page-size']);
  const sts = intOption('sts-lifetime', values['sts-lifetime']);
  const maxQuery = intOption('max-query-time', values['max-query-time']);
  if (maxQuery === 0) throw new Error('--max-query-time must be at least 1 second');
  const allowed = values['allowed-host'] ?? [];
  if (values['allow-any-host'] && allowed.length > 0) throw new Error('--allow-any-host and --allowed-host exclude each other');
  for (const name of allowed) {
    if (!/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.:_-]+)$/.test(name)) throw new Error(`--allowed-host must be a host name or address, got '${name}'`);
  }
  return {
    ...(port !== undefined ? { port } : {}),
    ...(values['allow-any-host'] ? { allowedHosts: 'any' as const } : allowed.length > 0 ? { allowedHosts: allowed } : {}),
    ...(values.host ? { host: values.host } : {}),
    ...(values.data ? { dataDir: values.data } : {}),
    ...(values.project ? { project: values.project } : {}),
    ...(values['access-id'] ? { accessKeyId: values['access-id'] } : {}),
    ...(values['access-key'] ? { accessKeySecret: values['access-key'] } : {}),
    ...(values['no-seed'] ? { seed: false } : {}),
    ...(pageSize ? { pageSize } : {}),
    ...(sts ? { stsLifetimeSeconds: sts } : {}),
    ...(maxQuery ? { maxQueryMs: maxQuery * 1000 } : {}),
    ...(values['time-zone'] ? { timeZone: values['time-zone'] } : {}),
    ...(values['namespace-schema'] ? { namespaceSchema: true } : {}),
    logger: stderrLogger(values.verbose ?? false, writeLog),
  };
}

/**
 * Run the CLI. Resolves with the exit code once the emulator has stopped (after a signal), or right
 * away for --help (0) and bad arguments (2). `onStarted` exposes the running emulator (tests).
 */
export async function runCli(argv: string[], io: CliIo = processIo, onStarted?: (emu: Emulator) => void): Promise<number> {
  let options: StartEmulatorOptions | 'help';
  try {
    options = parseCliArgs(argv, io.stderr);
  } catch (err) {
    io.stderr(`odps-emulator: ${(err as Error).message}`);
    io.stderr('Try --help.');
    return 2;
  }
  if (options === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  // Listen for signals before anything is printed: a supervisor may send SIGTERM the moment it reads
  // the endpoint line, and without a listener the default action kills the process uncleanly.
  let signalled: string | undefined;
  let onSignal: ((signal: string) => void) | undefined;
  const unregister = io.onSignal((signal) => {
    signalled ??= signal;
    onSignal?.(signal);
  });
  let emu: Emulator;
  try {
    emu = await startEmulator(options);
  } catch (err) {
    unregister();
    io.stderr(`odps-emulator: cannot start: ${(err as Error).message}`);
    return 1;
  }
  const stopped = new Promise<number>((resolve) => {
    onSignal = (signal) => {
      onSignal = undefined;
      unregister();
      io.stderr(`odps-emulator: ${signal}, stopping`);
      emu.close().then(
        () => resolve(0),
        (err: unknown) => {
          io.stderr(`odps-emulator: error while stopping: ${(err as Error).message}`);
          resolve(1);
        },
      );
    };
  });
  if (signalled) {
    onSignal?.(signalled);
    return stopped;
  }
  io.stderr(`odps-emulator: project=${emu.project} access-id=${emu.accessKeyId} tunnel=${emu.tunnelEndpoint} credentials-uri=${emu.credentialsUri}`);
  io.stdout(`endpoint=${emu.endpoint}`);
  onStarted?.(emu);
  return stopped;
}
