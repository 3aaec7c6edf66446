// Reading tunnel query parameters and headers: rowrange, columns, partition, block id, version, encodings.
import type { Column, TunnelCompression } from '@odps-ts/odps-client';
import type { RequestContext } from '../request-context.js';
import { parsePartitionSpec } from '../routes/partition-spec.js';
import { tunnelErrors } from './tunnel-errors.js';

export interface RowRange {
  start: number;
  count: number;
}

/**
 * `rowrange=(start,count)` checked against the snapshot size: the range must lie inside
 * [0, total) (tunnel.md §2.2). An empty range at the very end, `(total,0)`, is accepted. Without the
 * parameter the whole snapshot is sent (lenient: the SDKs always send it).
 */
export function rowRangeOf(ctx: RequestContext, total: number): RowRange {
  const text = ctx.q('rowrange');
  if (text === undefined || text === '') return { start: 0, count: total };
  const m = /^\(\s*(\d{1,15})\s*,\s*(\d{1,15})\s*\)$/.exec(text);
  if (!m) throw tunnelErrors.invalidRowRange(text, 'expected (start,count) with non-negative integers');
  const start = Number(m[1]);
  const count = Number(m[2]);
  if (start > total || (start === total && count > 0)) {
    throw tunnelErrors.invalidRowRange(text, `start ${start} is beyond the record count ${total}`);
  }
  if (start + count > total) {
    throw tunnelErrors.invalidRowRange(text, `start + count = ${start + count} exceeds the record count ${total}`);
  }
  return { start, count };
}

/**
 * `columns=c,a`: indexes into the session's data columns in the requested order (field numbers and
 * Arrow column order follow this list, tunnel.md §2.2). Names match case-insensitively; absent or
 * empty means every data column in table order.
 */
export function projectionOf(ctx: RequestContext, columns: readonly Column[]): number[] {
  const text = ctx.q('columns');
  if (text === undefined || text.trim() === '') return columns.map((_, i) => i);
  return text.split(',').map((raw) => {
    const name = raw.trim().replace(/^`|`$/g, '').toLowerCase();
    const index = columns.findIndex((c) => c.name.toLowerCase() === name);
    if (index < 0) throw tunnelErrors.invalidColumn(raw.trim());
    return index;
  });
}

/**
 * The `partition` parameter as a full spec in partition-key order. Partitioned tables need every key
 * (tunnel sessions address one last-level partition); plain tables must not get one.
 */
export function partitionOf(ctx: RequestContext, tableName: string, keys: readonly Column[]): Record<string, string> | undefined {
  const text = ctx.q('partition');
  if (keys.length === 0) {
    if (text !== undefined && text.trim() !== '') throw tunnelErrors.notPartitioned(tableName);
    return undefined;
  }
  if (text === undefined || text.trim() === '') throw tunnelErrors.missingPartition(tableName);
  const given = parsePartitionSpec(text, (why) => tunnelErrors.invalidPartition(text, why));
  const spec: Record<string, string> = {};
  for (const key of keys) {
    const value = given[key.name.toLowerCase()];
    if (value === undefined) throw tunnelErrors.invalidPartition(text, `missing partition key '${key.name}'`);
    spec[key.name] = value;
  }
  for (const k of Object.keys(given)) {
    if (!keys.some((key) => key.name.toLowerCase() === k)) throw tunnelErrors.invalidPartition(text, `'${k}' is not a partition key`);
  }
  return spec;
}

/** `blockid=N`, 0 <= N < 20000 (tunnel.md §6.2). */
export function blockIdOf(ctx: RequestContext): number {
  const text = ctx.q('blockid') ?? '';
  if (!/^\d{1,5}$/.test(text)) throw tunnelErrors.invalidBlockId(text);
  const id = Number(text);
  if (id >= 20000) throw tunnelErrors.invalidBlockId(text);
  return id;
}

/**
 * `x-odps-tunnel-version` (6 from PyODPS/Java, 5 from Go). Missing or unparsable counts as 5: the
 * safer choice, since only version 6 readers are known to accept the metrics trailer (tunnel.md §3.6).
 */
export function tunnelVersionOf(ctx: RequestContext): number {
  const v = Number(ctx.header('x-odps-tunnel-version'));
  return Number.isInteger(v) && v > 0 ? v : 5;
}

/** `arrow`, `arrow=` or `arrow=true` select the Arrow format; `arrow=false` does not. */
export function wantsArrow(ctx: RequestContext): boolean {
  if (!ctx.has('arrow')) return false;
  const v = (ctx.q('arrow') ?? '').toLowerCase();
  return v !== 'false' && v !== '0';
}

/** The body codecs the emulator speaks, by the header names the SDKs use (tunnel.md §5). */
const ENCODINGS = new Map<string, Exclude<TunnelCompression, 'none'>>([
  ['deflate', 'deflate'],
  ['x-lz4-frame', 'lz4'],
  ['x-odps-lz4-frame', 'lz4'],
  ['lz4_frame', 'lz4'],
  ['zstd', 'zstd'],
]);

/** A codec and the name the client used for it (echoed back in Content-Encoding). */
export interface NegotiatedEncoding {
  codec: Exclude<TunnelCompression, 'none'>;
  name: string;
}

/**
 * The first codec in `Accept-Encoding` the emulator speaks (`;q=0` means "not this one"); undefined
 * means an identity body, as for any encoding it does not know (snappy, gzip, br...).
 */
export function negotiateEncoding(ctx: RequestContext): NegotiatedEncoding | undefined {
  const header = ctx.header('accept-encoding');
  if (!header) return undefined;
  for (const part of header.split(',')) {
    const [rawName, ...params] = part.trim().split(';');
    const name = (rawName ?? '').trim().toLowerCase();
    const codec = ENCODINGS.get(name);
    if (!codec) continue;
    if (params.some((p) => /^\s*q\s*=\s*0(\.0*)?\s*$/.test(p))) continue;
    return { codec, name };
  }
  return undefined;
}

/** The codec named by an upload's `Content-Encoding` ('none' when absent); undefined when unknown. */
export function uploadEncoding(value: string): TunnelCompression | undefined {
  const name = value.trim().toLowerCase();
  if (name === '' || name === 'identity') return 'none';
  return ENCODINGS.get(name);
}

/** True for `flag=true` (case-insensitive); a bare key counts as true too (PyODPS-style markers). */
export function flagOf(ctx: RequestContext, key: string): boolean {
  if (!ctx.has(key)) return false;
  const v = (ctx.q(key) ?? '').toLowerCase();
  return v === '' || v === 'true' || v === '1';
}
