// Makes sure the built `odps` binary exists and is not older than the CLI sources (builds once if needed).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
export const CLI_DIR = path.join(REPO_ROOT, 'packages/cli');
export const BIN = path.join(CLI_DIR, 'dist/bin.js');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function isStale(): boolean {
  if (!existsSync(BIN)) return true;
  const built = statSync(BIN).mtimeMs;
  // Only this package's sources are compared: the root `pnpm test` builds every package first anyway.
  return newestMtime(path.join(CLI_DIR, 'src')) > built;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Build with `tsc -b packages/cli` when dist is missing or stale; a lock directory serializes parallel test files. */
export async function ensureBuilt(): Promise<void> {
  if (!isStale()) return;
  const lock = path.join(CLI_DIR, 'dist.build-lock');
  mkdirSync(path.join(CLI_DIR, 'dist'), { recursive: true });
  for (let i = 0; i < 600; i++) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      await sleep(200);
      if (!isStale()) return;
    }
  }
  try {
    if (!isStale()) return;
    const tsc = path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
    try {
      await run(process.execPath, [tsc, '-b', 'packages/cli'], { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 });
    } catch (err) {
      const e = err as { stdout?: string; message: string };
      // A sibling package mid-edit can break the build; an existing binary still tests the CLI.
      if (!existsSync(BIN)) throw new Error(`tsc -b packages/cli failed: ${e.stdout ?? e.message}`, { cause: err });
    }
  } finally {
    rmdirSync(lock);
  }
}
