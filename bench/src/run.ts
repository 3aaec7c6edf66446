// `pnpm bench`: tunnel download/upload next to their loopback limits, codecs, memory, REST; writes results.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, sizesFor } from './args.js';
import { topSelfTime } from './profile-summary.js';
import { compare, markdown, type Entry, type Report } from './report.js';
import { ENDLESS_TABLE, LIST_PROJECT, setupFixtures, UPLOAD_TABLE, type Fixtures } from './setup.js';
import { runChild } from './spawn.js';
import { TABLE } from './dataset.js';
import type { CaseSpec, Format } from './spec.js';
import type { TunnelCompression } from '@odps-ts/odps-client';

const RESULTS = fileURLToPath(new URL('../results', import.meta.url));
const ODPS_BIN = fileURLToPath(new URL('../../packages/cli/bin/odps.js', import.meta.url));
const opts = parseArgs(process.argv.slice(2), RESULTS);
const sizes = sizesFor(opts.quick);
const started = performance.now();
const log = (msg: string): void => {
  process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(1)}s] ${msg}\n`);
};
const wanted = (group: string): boolean => opts.only.length === 0 || opts.only.some((w) => group.includes(w));
const FORMATS: Format[] = ['record', 'arrow'];
const CONNECTIONS = [1, 2, 4];
const COMPRESSIONS: TunnelCompression[] = ['none', 'deflate', 'lz4', 'zstd'];

function gitHead(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

const entries: Entry[] = [];
/** Runs a case `reps` times (fresh child each) and keeps the fastest run; all wall times go in extra. */
async function measure(group: Entry['group'], key: string, params: Entry['params'], spec: CaseSpec, timeoutMs = 240_000, prof?: string, reps = 1): Promise<void> {
  const entry: Entry = { group, key, params };
  entries.push(entry);
  try {
    const profDir = prof ? join(opts.outDir, 'profiles') : undefined;
    const runs = [];
    for (let i = 0; i < reps; i++) {
      runs.push(await runChild(spec, { timeoutMs, ...(profDir && i === 0 ? { cpuProfDir: profDir, cpuProfName: `${prof}.cpuprofile` } : {}) }));
    }
    const best = runs.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
    entry.result = reps > 1 ? { ...best, extra: { ...best.extra, runs: reps, slowestWallMs: Math.max(...runs.map((r) => r.wallMs)) } } : best;
    const r = entry.result;
    log(`${key}: ${Math.round(r.wallMs)} ms, ${Math.round(r.rows / (r.wallMs / 1000)).toLocaleString('en-US')} rows/s, peak RSS ${Math.round(r.peakRssMiB)} MiB`);
  } catch (err) {
    entry.error = err instanceof Error ? err.message : String(err);
    log(`${key}: FAILED ${entry.error}`);
  }
}

async function runAll(fx: Fixtures): Promise<Record<string, { fn: string; selfPct: number }[]> | undefined> {
  const servers = [
    { name: 'blob', target: fx.blobTarget, sessionId: fx.blobSessionId, rows: sizes.blobRows },
    { name: 'emulator', target: fx.emuTarget, sessionId: fx.emuSessionId, rows: sizes.emulatorRows },
  ];
  let profiles: Record<string, { fn: string; selfPct: number }[]> | undefined;
  if (opts.profile) rmSync(join(opts.outDir, 'profiles'), { recursive: true, force: true });
  if (wanted('codec')) {
    for (const op of ['record-encode', 'record-decode', 'arrow-encode', 'arrow-decode'] as const) {
      await measure('codec', `codec/${op}`, { op }, {
        kind: 'codec', target: fx.blobTarget, table: TABLE, sessionId: fx.blobSessionId, op, rows: sizes.blobRows, unique: sizes.unique,
      }, 240_000, opts.profile ? op : undefined);
    }
  }
  if (wanted('download')) {
    for (const s of servers) {
      for (const format of FORMATS) {
        for (const connections of CONNECTIONS) {
          for (const mode of ['raw', 'client'] as const) {
            const prof = opts.profile && s.name === 'blob' && connections === 1 && mode === 'client' ? `download-${format}` : undefined;
            await measure('download', `download/${s.name}/${format}/${connections}/${mode}`, { server: s.name, format, connections, mode }, {
              kind: 'download', target: s.target, table: TABLE, sessionId: s.sessionId, format, mode, rows: s.rows, parallel: connections,
            }, 240_000, prof, sizes.reps);
          }
        }
      }
    }
  }
  if (wanted('upload')) {
    for (const s of servers) {
      for (const format of FORMATS) {
        for (const mode of ['raw', 'client'] as const) {
          await measure('upload', `upload/${s.name}/${format}/1/${mode}`, { server: s.name, format, connections: 1, mode }, {
            kind: 'upload', target: s.target, table: s.name === 'blob' ? TABLE : UPLOAD_TABLE, format, mode, rows: s.rows, unique: sizes.unique,
            commit: mode === 'client', sourceTable: TABLE, sourceSessionId: s.sessionId,
          }, 240_000, undefined, sizes.reps);
        }
      }
    }
  }
  if (wanted('compress')) {
    // Each body codec on the emulator (which honours Accept-Encoding) and alone from memory: rows/s and bytes on the wire.
    const rows = sizes.emulatorRows;
    for (const format of FORMATS) {
      for (const codec of COMPRESSIONS) {
        const p = { server: 'emulator', format, codec, connections: 1 };
        for (const op of ['encode', 'decode'] as const) {
          await measure('compress', `compress/memory/${format}/${codec}/${op}`, { ...p, server: 'memory', op }, {
            kind: 'compress', target: fx.emuTarget, table: TABLE, sessionId: fx.emuSessionId, format, codec, op, rows, unique: sizes.unique,
          });
        }
        for (const mode of ['raw', 'client'] as const) {
          await measure('compress', `compress/download/emulator/${format}/${codec}/${mode}`, { ...p, mode }, {
            kind: 'download', target: fx.emuTarget, table: TABLE, sessionId: fx.emuSessionId, format, mode, rows, parallel: 1, compress: codec,
          }, 240_000, undefined, sizes.reps);
        }
        await measure('compress', `compress/upload/emulator/${format}/${codec}/client`, { ...p, mode: 'client' }, {
          kind: 'upload', target: fx.emuTarget, table: UPLOAD_TABLE, format, mode: 'client', rows, unique: sizes.unique,
          commit: false, sourceTable: TABLE, sourceSessionId: fx.emuSessionId, compress: codec,
        }, 240_000, undefined, sizes.reps);
      }
    }
  }
  if (wanted('rest')) {
    await measure('rest', 'rest/sql', {}, { kind: 'sql', target: fx.emuTarget, table: TABLE, iterations: sizes.sqlIterations });
    await measure('rest', 'rest/list', { pages: Math.ceil(sizes.listTables / 100), pageSize: 100 }, {
      kind: 'list', target: { ...fx.emuTarget, project: LIST_PROJECT }, expected: sizes.listTables,
    });
  }
  if (wanted('memory')) {
    for (const format of FORMATS) {
      const perRow = format === 'record' ? fx.record.bytesPerRow : fx.arrow.payloadBytes / fx.arrow.unique;
      await measure('memory', `memory/${format}`, { format, bytes: Math.round(perRow * fx.endlessRows) }, {
        kind: 'memory', target: fx.blobTarget, table: ENDLESS_TABLE, format, rows: fx.endlessRows,
      }, 400_000);
    }
  }
  if (opts.profile) {
    profiles = {};
    const dir = join(opts.outDir, 'profiles');
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.cpuprofile'))) profiles[f.replace('.cpuprofile', '')] = topSelfTime(join(dir, f));
  }
  return profiles;
}

const loadBefore = os.loadavg().map((l) => l.toFixed(2)).join(' ');
log(`sizes: ${JSON.stringify(sizes)}; load ${loadBefore}`);
if (wanted('cli')) {
  // Start-up of the built bin: what every `odps` invocation pays before doing anything.
  await measure('cli', 'cli/help', { args: '--help' }, { kind: 'cli', bin: ODPS_BIN, args: ['--help'], runs: opts.quick ? 10 : 30 });
}
// The servers are set up only when a group that needs them runs (`--only cli` needs none).
const fx = ['codec', 'download', 'upload', 'compress', 'rest', 'memory'].some(wanted) ? await setupFixtures(sizes, log) : undefined;
let profiles: Awaited<ReturnType<typeof runAll>>;
try {
  profiles = fx ? await runAll(fx) : undefined;
} finally {
  await fx?.close();
}
const report: Report = {
  meta: {
    date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown',
    loadBefore, loadAfter: os.loadavg().map((l) => l.toFixed(2)).join(' '), quick: opts.quick, git: gitHead(), sizes,
    setupMs: fx?.setupMs ?? {}, totalSeconds: Math.round((performance.now() - started) / 1000),
    recordBytesPerRow: fx?.record.bytesPerRow ?? 0, arrowBytesPerRow: fx ? fx.arrow.payloadBytes / fx.arrow.unique : 0,
  },
  entries,
  comparisons: compare(entries),
  ...(profiles ? { profiles } : {}),
};
mkdirSync(opts.outDir, { recursive: true });
const base = opts.quick ? 'latest-quick' : 'latest';
writeFileSync(join(opts.outDir, `${base}.json`), `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(join(opts.outDir, `${base}.md`), `${markdown(report)}\n`);
log(`wrote ${join(opts.outDir, `${base}.json`)} and ${base}.md in ${report.meta['totalSeconds'] as number} s`);
process.exitCode = entries.some((e) => e.error) ? 1 : 0;
