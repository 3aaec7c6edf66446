// Summarizes a V8 .cpuprofile: the functions with the most self time.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples?: number[];
}

export function topSelfTime(path: string, n = 12): { fn: string; selfPct: number }[] {
  const p = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byFn = new Map<string, number>();
  let total = 0;
  for (const node of p.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    const f = node.callFrame;
    const file = f.url.split('/').slice(-2).join('/');
    const name = `${f.functionName || '(anonymous)'}${file ? ` (${file}:${f.lineNumber + 1})` : ''}`;
    byFn.set(name, (byFn.get(name) ?? 0) + hits);
    total += hits;
  }
  return [...byFn.entries()]
    .filter(([fn]) => !fn.startsWith('(idle)') && !fn.startsWith('(program)'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([fn, hits]) => ({ fn, selfPct: (100 * hits) / Math.max(1, total) }));
}
