// Runs a command under a pseudo-terminal with util-linux `script`, so stdout/stderr are TTYs.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import os from 'node:os';

export interface PtyRun {
  child: ChildProcessWithoutNullStreams;
  /** Everything the terminal showed so far. */
  output(): string;
  /** Resolves with script's exit code (`-e`: the command's own code). */
  done: Promise<number | null>;
}

export function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function runInPty(argv: string[], env: Record<string, string>, timeoutMs = 25_000): PtyRun {
  const command = argv.map(shellQuote).join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], { env: { TERM: 'xterm-256color', ...env }, cwd: os.tmpdir() });
  const chunks: Buffer[] = [];
  child.stdout.on('data', (b: Buffer) => chunks.push(b));
  child.stderr.on('data', (b: Buffer) => chunks.push(b));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const done = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
  return { child, output: () => Buffer.concat(chunks).toString('utf8'), done };
}

/** Poll `check` until it is true or `ms` elapsed (bounded loop). */
export async function until(check: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
