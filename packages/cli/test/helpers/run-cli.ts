// Runs the built `odps` binary as a subprocess (never spawnSync: the emulator lives in this process).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Emulator } from '@odps-ts/emulator';
import { BIN } from './build.js';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  input?: string | Buffer;
  timeoutMs?: number;
}

export function tempDir(prefix = 'odps-cli-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A clean environment: temp HOME, no inherited Alibaba Cloud credentials, no metadata probes. */
export function baseEnv(home: string): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: home,
    ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
    ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true',
    LANG: 'C.UTF-8',
  };
}

/** Connection settings for an emulator, as the environment a user would export. */
export function emulatorEnv(emu: Emulator): Record<string, string> {
  return {
    ODPS_ENDPOINT: emu.endpoint,
    ODPS_PROJECT_NAME: emu.project,
    ODPS_TUNNEL_ENDPOINT: emu.tunnelEndpoint,
    ALIBABA_CLOUD_ACCESS_KEY_ID: emu.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: emu.accessKeySecret,
  };
}

export function runCli(args: string[], opts: RunOptions = {}): Promise<CliResult> {
  return startCli(args, opts).result;
}

/** Start the binary and keep the child (to signal it); `result` settles when it exits. */
export function startCli(args: string[], opts: RunOptions = {}): { child: ChildProcessWithoutNullStreams; result: Promise<CliResult> } {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.env ?? {})) if (v !== undefined) env[k] = v;
  const child = spawn(process.execPath, [BIN, ...args], { env, cwd: opts.cwd ?? os.tmpdir(), stdio: ['pipe', 'pipe', 'pipe'] });
  const result = new Promise<CliResult>((resolve, reject) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 25_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.end(opts.input ?? '');
  });
  return { child, result };
}
