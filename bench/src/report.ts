// Turns case results into bench/results/latest.json and the Markdown tables of latest.md.
import type { CaseResult } from './spec.js';

export interface Entry {
  group: 'download' | 'upload' | 'codec' | 'compress' | 'memory' | 'rest' | 'cli';
  /** Stable key, e.g. `download/blob/record/4/client`. */
  key: string;
  params: Record<string, string | number>;
  result?: CaseResult;
  error?: string;
}

export interface Report {
  meta: Record<string, unknown>;
  entries: Entry[];
  /** Client figure next to its physical limit (download and upload). */
  comparisons: Comparison[];
  profiles?: Record<string, { fn: string; selfPct: number }[]>;
}

export interface Comparison {
  key: string;
  server: string;
  format: string;
  connections: number;
  rows: number;
  bytes: number;
  clientMs: number;
  rawMs: number;
  /** Client throughput / loopback limit (1 = as fast as draining / sending the bytes). */
  ratio: number;
  clientRowsPerSec: number;
  clientMBps: number;
  rawMBps: number;
  clientCpuMs: number;
  clientPeakRssMiB: number;
  rawPeakRssMiB: number;
}

const MB = 1e6;

export function compare(entries: readonly Entry[]): Comparison[] {
  const out: Comparison[] = [];
  for (const e of entries) {
    if (!e.key.endsWith('/client') || !e.result) continue;
    const raw = entries.find((r) => r.key === e.key.replace(/\/client$/, '/raw'))?.result;
    if (!raw || raw.bytes === undefined) continue;
    const c = e.result;
    out.push({
      key: e.key.replace(/\/client$/, ''),
      server: String(e.params['server']),
      format: String(e.params['format']),
      connections: Number(e.params['connections'] ?? 1),
      rows: c.rows,
      bytes: raw.bytes,
      clientMs: c.wallMs,
      rawMs: raw.wallMs,
      ratio: raw.wallMs / c.wallMs,
      clientRowsPerSec: c.rows / (c.wallMs / 1000),
      clientMBps: raw.bytes / MB / (c.wallMs / 1000),
      rawMBps: raw.bytes / MB / (raw.wallMs / 1000),
      clientCpuMs: c.cpuMs,
      clientPeakRssMiB: c.peakRssMiB,
      rawPeakRssMiB: raw.peakRssMiB,
    });
  }
  return out;
}

const f0 = (n: number): string => Math.round(n).toLocaleString('en-US');
const f1 = (n: number): string => n.toFixed(1);
const f2 = (n: number): string => n.toFixed(2);

function table(head: string[], rows: string[][]): string {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** One row per format and codec: wire bytes and speeds, each next to the uncompressed case of the same run. */
function compressionTable(r: Report): string {
  const get = (key: string): CaseResult | undefined => r.entries.find((e) => e.key === key)?.result;
  const rowsPerSec = (x: CaseResult | undefined): string => (x ? f0(x.rows / (x.wallMs / 1000)) : '-');
  const mbps = (x: CaseResult | undefined): string => (x ? f1(Number(x.extra?.['plainBytes'] ?? 0) / MB / (x.wallMs / 1000)) : '-');
  const rows: string[][] = [];
  for (const format of ['record', 'arrow']) {
    const none = get(`compress/download/emulator/${format}/none/raw`)?.bytes;
    for (const codec of ['none', 'deflate', 'lz4', 'zstd']) {
      const wire = get(`compress/download/emulator/${format}/${codec}/raw`)?.bytes;
      if (wire === undefined && !get(`compress/memory/${format}/${codec}/encode`)) continue;
      rows.push([
        format, codec, wire === undefined ? '-' : f2(wire / MB), wire === undefined || !none ? '-' : f2(wire / none),
        rowsPerSec(get(`compress/download/emulator/${format}/${codec}/client`)), rowsPerSec(get(`compress/upload/emulator/${format}/${codec}/client`)),
        mbps(get(`compress/memory/${format}/${codec}/encode`)), mbps(get(`compress/memory/${format}/${codec}/decode`)),
      ]);
    }
  }
  return ['## Compression (emulator, 1 connection; codec alone from memory)', '',
    '`wire MB` = download body bytes as sent (Accept-Encoding honoured by the emulator), `vs none` = that / the uncompressed body. Speeds of the codec alone are MB of uncompressed body per second.', '',
    table(['format', 'codec', 'wire MB', 'vs none', 'download rows/s', 'upload rows/s', 'compress MB/s', 'decompress MB/s'], rows)].join('\n');
}

export function markdown(r: Report): string {
  const m = r.meta;
  const parts: string[] = [];
  parts.push('# odps-ts benchmark results', '');
  parts.push(`Run ${String(m['date'])} on Node ${String(m['node'])}, ${String(m['cpus'])} CPUs (${String(m['cpuModel'])}), load average before/after: ${String(m['loadBefore'])} / ${String(m['loadAfter'])}.`);
  parts.push(`Mode: ${m['quick'] ? 'quick' : 'full'}; git ${String(m['git'])}. Loopback only (127.0.0.1). Every case runs in a fresh child process (its own peak RSS); download/upload cases keep the fastest of ${String((m['sizes'] as { reps?: number } | undefined)?.reps ?? 1)} runs. Ratios compare runs taken seconds apart in the same run; the machine was shared with other jobs (see load), so compare ratios, not absolute figures.`, '');
  parts.push('Peak RSS is VmHWM of the child process (/proc/self/status); getrusage maxRSS is not used because it survives execve and reports the orchestrator\'s size in spawned children.', '');
  parts.push('**ratio** = client throughput / physical limit. The limit is the same GETs (same session, row ranges, headers, undici Agent) with the body drained and counted, or the same pre-encoded blocks PUT through the same session. 1.00 means decoding/encoding costs nothing on top of moving the bytes.', '');
  const cmp = (group: string): string => table(
    ['server', 'format', 'conns', 'rows', 'MB', 'client rows/s', 'client MB/s', 'limit MB/s', 'ratio', 'client CPU s', 'client peak RSS MiB', 'limit peak RSS MiB'],
    r.comparisons.filter((c) => c.key.startsWith(`${group}/`)).map((c) => [
      c.server, c.format, String(c.connections), f0(c.rows), f1(c.bytes / MB), f0(c.clientRowsPerSec), f1(c.clientMBps), f1(c.rawMBps), f2(c.ratio),
      f1(c.clientCpuMs / 1000), f0(c.clientPeakRssMiB), f0(c.rawPeakRssMiB),
    ]),
  );
  const sz = (m['sizes'] ?? {}) as { blobRows?: number; emulatorRows?: number };
  parts.push(
    `## Download (10-column mixed table: ${f0(sz.blobRows ?? 0)} rows on \`blob\`, ${f0(sz.emulatorRows ?? 0)} on \`emulator\`)`, '',
    '`blob` = minimal loopback server sending pre-encoded bytes (shows the client alone); `emulator` = the emulator, which snapshots the rows and encodes them on the fly (its own CPU is then the limit, so its ratios say little about the client).',
    `Bytes per row: record ${f1(Number(m['recordBytesPerRow'] ?? 0))}, Arrow ${f1(Number(m['arrowBytesPerRow'] ?? 0))}.`, '', cmp('download'), '',
  );
  parts.push('## Upload', '', 'Timed: writer open to close() (all blocks PUT, 64 MiB blocks); commit is reported separately in latest.json.', '', cmp('upload'), '');
  const codec = r.entries.filter((e) => e.group === 'codec');
  parts.push('## Codec alone (from memory, no HTTP)', '', table(['op', 'rows', 'MB', 'rows/s', 'MB/s', 'CPU s', 'peak RSS MiB'], codec.map((e) => e.result
    ? [String(e.params['op']), f0(e.result.rows), f1((e.result.bytes ?? 0) / MB), f0(e.result.rows / (e.result.wallMs / 1000)), f1((e.result.bytes ?? 0) / MB / (e.result.wallMs / 1000)), f1(e.result.cpuMs / 1000), f0(e.result.peakRssMiB)]
    : [String(e.params['op']), `error: ${e.error ?? ''}`, '', '', '', '', ''])), '');
  parts.push(compressionTable(r), '');
  const mem = r.entries.filter((e) => e.group === 'memory');
  parts.push('## Memory: streaming a multi-GB table through the real reader', '', table(['format', 'rows', 'GB streamed', 'MB/s', 'peak RSS MiB', 'under 300 MiB'], mem.map((e) => e.result
    ? [String(e.params['format']), f0(e.result.rows), f2(Number(e.params['bytes']) / 1e9), f1(Number(e.params['bytes']) / MB / (e.result.wallMs / 1000)), f0(e.result.peakRssMiB), e.result.peakRssMiB < 300 ? 'yes' : '**no**']
    : [String(e.params['format']), `error: ${e.error ?? ''}`, '', '', '', ''])), '');
  const rest = r.entries.filter((e) => e.group === 'rest');
  parts.push('## REST on the emulator', '', table(['case', 'figure'], rest.map((e) => {
    if (!e.result) return [e.key, `error: ${e.error ?? ''}`];
    const x = e.result.extra ?? {};
    if (e.key === 'rest/sql') return ['SQL round trip (submit, wait, first row via instance tunnel)', `p50 ${f1(x['p50Ms'] ?? 0)} ms, p95 ${f1(x['p95Ms'] ?? 0)} ms, min ${f1(x['minMs'] ?? 0)} ms over ${e.result.rows} runs`];
    return [`list ${f0(e.result.rows)} tables (${String(e.params['pages'])} pages of ${String(e.params['pageSize'])})`, `${f0(e.result.wallMs)} ms (${f0(e.result.rows / (e.result.wallMs / 1000))} tables/s)`];
  })), '');
  const cli = r.entries.filter((e) => e.group === 'cli');
  if (cli.length > 0) {
    parts.push('## CLI start-up (built bin, spawned in a row)', '', table(['case', 'median ms', 'min ms', 'max ms', 'runs'], cli.map((e) => e.result
      ? [`\`odps ${String(e.params['args'])}\``, f0(e.result.wallMs), f0(e.result.extra?.['minMs'] ?? 0), f0(e.result.extra?.['maxMs'] ?? 0), String(e.result.extra?.['runs'] ?? '')]
      : [e.key, `error: ${e.error ?? ''}`, '', '', ''])), '');
  }
  if (r.profiles) {
    parts.push('## CPU profile of the codec cases (top self time)', '');
    for (const [name, top] of Object.entries(r.profiles)) {
      parts.push(`**${name}**: ${top.map((t) => `${t.fn} ${t.selfPct.toFixed(1)}%`).join(', ')}`, '');
    }
  }
  const failed = r.entries.filter((e) => e.error);
  if (failed.length > 0) parts.push('## Failures', '', ...failed.map((e) => `- ${e.key}: ${e.error ?? ''}`), '');
  return parts.join('\n');
}
