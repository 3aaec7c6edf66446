// Makes sure the built `odps` binary exists and is not older than the CLI sources (builds once if needed).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
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

/** Touched after every build attempt, so a failed build (a sibling mid-edit) is not retried by each test file. */
const STAMP = path.join(CLI_DIR, 'dist', '.test-build-stamp');
// The binary runs the referenced packages from their dist too, so their sources count.
const SOURCES = ['auth', 'odps-client', 'emulator', 'cli'].map((p) => path.join(REPO_ROOT, 'packages', p, 'src'));

function isStale(): boolean {
  if (!existsSync(BIN)) return true;
  const built = Math.max(statSync(BIN).mtimeMs, existsSync(STAMP) ? statSync(STAMP).mtimeMs : 0);
  return SOURCES.some((dir) => existsSync(dir) && newestMtime(dir) > built);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Build with `tsc -b packages/cli` when dist is missing or stale; a lock directory serializes parallel test files. */
export async function ensureBuilt(): Promise<void> {
  if (!isStale()) return;
  const lock = path.join(CLI_DIR, 'dist.build-lock');
  mkdirSync(path.join(CLI_DIR, 'dist'), { recursive: true });
  let locked = false;
  for (let i = 0; i < 900 && !locked; i++) {
    try {
      mkdirSync(lock);
      locked = true;
    } catch {
      // A lock left by a killed run is taken over after five minutes.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 300_000) rmdirSync(lock);
      await sleep(200);
      if (!isStale()) return;
    }
  }
  if (!locked) throw new Error(`could not take the build lock ${lock}`);
  try {
    if (!isStale()) return;
    const tsc = path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
    try {
      await run(process.execPath, [tsc, '-b', 'packages/cli'], { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 });
    } catch (err) {
      const e = err as { stdout?: string; message: string };
      // A sibling package mid-edit can break the build; an existing binary still tests the CLI.
      if (!existsSync(BIN)) throw new Error(`tsc -b packages/cli failed: ${e.stdout ?? e.message}`, { cause: err });
      process.stderr.write(`warning: tsc -b packages/cli failed; testing the existing build\n${(e.stdout ?? '').slice(0, 2000)}\n`);
    } finally {
      writeFileSync(STAMP, new Date().toISOString());
    }
  } finally {
    rmdirSync(lock);
  }
}
