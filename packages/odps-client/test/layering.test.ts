// Guards the layering inside odps-client: tunnel/, storage/ and core/ never reach resources/ (directly or
// through another module), so `resources -> tunnel` stays a one-way edge and the old circle cannot return.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []);
}

/** Relative imports of one file (static, type-only and dynamic), resolved to .ts paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)'(\.{1,2}\/[^']+)'/g)) {
    out.push(resolve(dirname(file), m[1]!.replace(/\.js$/, '.ts')));
  }
  return out;
}

/** Every module reachable from `start`, with the chain that reached it. */
function reachable(start: string): Map<string, string[]> {
  const seen = new Map<string, string[]>([[start, [start]]]);
  const todo = [start];
  while (todo.length > 0) {
    const file = todo.pop()!;
    for (const dep of importsOf(file)) {
      if (seen.has(dep)) continue;
      seen.set(dep, [...seen.get(file)!, dep]);
      todo.push(dep);
    }
  }
  return seen;
}

describe('odps-client layering', () => {
  const lower = ['tunnel', 'storage', 'core'].flatMap((d) => sourceFiles(join(src, d)));

  it('finds the lower-layer files', () => {
    expect(lower.length).toBeGreaterThan(40);
  });

  it('tunnel/, storage/ and core/ never import resources/, even transitively', () => {
    const offenders: string[] = [];
    for (const file of lower) {
      for (const [dep, chain] of reachable(file)) {
        if (relative(src, dep).startsWith('resources/')) {
          offenders.push(chain.map((f) => relative(src, f)).join(' -> '));
          break;
        }
      }
    }
    expect(offenders).toEqual([]);
  });
});
