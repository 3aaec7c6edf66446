// The `TableBatchScanRequest` body of a read session (PyODPS field names), validated into a plan.
import type { Column } from '@odps-ts/odps-client';
import { EmulatorHttpError } from '../errors.js';
import { parsePartitionSpec } from '../routes/partition-spec.js';
import { checkedPredicate } from './predicate-check.js';
import type { Predicate } from '@odps-ts/odps-client';

export type SplitMode = 'Size' | 'Parallelism' | 'RowOffset';

export interface ScanPlan {
  /** Indexes into the table's data columns, in output order. */
  projection: number[];
  partitions: Record<string, string>[];
  filter?: Predicate;
  mode: SplitMode;
  /** Bytes per split (Size) or splits wanted (Parallelism). */
  splitNumber: number;
}

function bad(message: string): EmulatorHttpError {
  return new EmulatorHttpError(400, 'InvalidArgument', `ODPS-0420411:Invalid argument - ${message}`);
}

function stringList(body: Record<string, unknown>, key: string): string[] {
  const v = body[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw bad(`${key} must be a list of strings`);
  if (v.length > 10_000) throw bad(`${key} has more than 10000 entries`);
  return v as string[];
}

export function parseScanRequest(raw: Buffer, columns: readonly Column[], partitionKeys: readonly Column[]): ScanPlan {
  let body: unknown = {};
  if (raw.length > 0) {
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      throw bad('the read session request is not JSON');
    }
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw bad('the read session request must be a JSON object');
  const b = body as Record<string, unknown>;
  const byName = new Map(columns.map((c, i) => [c.name.toLowerCase(), i]));
  const wanted = stringList(b, 'RequiredDataColumns');
  const projection = wanted.length === 0 ? columns.map((_, i) => i) : wanted.map((n) => {
    const i = byName.get(n.toLowerCase());
    if (i === undefined) throw bad(`RequiredDataColumns: column ${n} is not a data column of the table`);
    return i;
  });
  if (stringList(b, 'RequiredPartitionColumns').length > 0) {
    throw new EmulatorHttpError(400, 'InvalidArgument', 'ODPS-0420411:Invalid argument - RequiredPartitionColumns is not supported by the emulator; read partition values from RequiredPartitions.');
  }
  if (stringList(b, 'RequiredBucketIds').length > 0) throw bad('RequiredBucketIds is not supported by the emulator');
  const partitions = stringList(b, 'RequiredPartitions').map((text) => {
    if (partitionKeys.length === 0) throw bad('RequiredPartitions given for a table that is not partitioned');
    const spec = parsePartitionSpec(text.replaceAll('/', ','));
    for (const k of Object.keys(spec)) {
      if (!partitionKeys.some((p) => p.name.toLowerCase() === k)) throw bad(`RequiredPartitions: ${k} is not a partition column`);
    }
    return spec;
  });
  const so = (b['SplitOptions'] ?? {}) as Record<string, unknown>;
  if (typeof so !== 'object' || so === null) throw bad('SplitOptions must be an object');
  const mode = so['SplitMode'] ?? 'Size';
  if (mode === 'Bucket') throw bad('SplitMode Bucket is not supported by the emulator (no bucketed storage)');
  if (mode !== 'Size' && mode !== 'Parallelism' && mode !== 'RowOffset') throw bad(`unknown SplitMode ${JSON.stringify(mode)}`);
  const number = so['SplitNumber'] ?? (mode === 'Size' ? 256 * 1024 * 1024 : mode === 'Parallelism' ? 32 : 0);
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number < 0) throw bad('SplitNumber must be a non-negative integer');
  if (mode !== 'RowOffset' && number < 1) throw bad(`SplitNumber must be positive in ${mode} mode`);
  if (mode === 'Parallelism' && number > 100_000) throw bad('SplitNumber is above 100000 splits');
  const filter = checkedPredicate(b['FilterPredicate'], [...columns, ...partitionKeys]);
  return { projection, partitions, ...(filter ? { filter } : {}), mode, splitNumber: number };
}
