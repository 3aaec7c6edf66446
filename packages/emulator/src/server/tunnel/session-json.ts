// JSON bodies of tunnel session answers: download (tunnel.md §2.1, §7) and upload (§6.1) sessions.
import type { Column } from '@odps-ts/odps-client';
import { formatHttpDate } from '../time-format.js';
import type { DownloadSession, UploadSession } from './sessions.js';

/** Largest field the emulator accepts in uploads, announced as `MaxFieldSize` (8 MiB, tunnel.md §3.7). */
export const MAX_FIELD_SIZE = 8 * 1024 * 1024;

// `column_id` and `default_value` are left out: their exact types on the wire are unknown, and a
// null where a reader expects a string is worse than an absent key.
function columnJson(c: Column): Record<string, unknown> {
  return {
    comment: c.comment ?? '',
    name: c.name,
    nullable: c.nullable ?? true,
    type: c.type.toLowerCase(),
  };
}

export function schemaJson(columns: readonly Column[], partitionKeys: readonly Column[]): Record<string, unknown> {
  return {
    IsVirtualView: false,
    columns: columns.map((c) => columnJson(c)),
    partitionKeys: partitionKeys.map((c) => columnJson(c)),
  };
}

export function downloadSessionJson(s: DownloadSession): Record<string, unknown> {
  return {
    DownloadID: s.id,
    Initiated: formatHttpDate(s.created),
    Owner: s.owner,
    QuotaName: s.quotaName,
    RecordCount: s.source.count,
    Schema: schemaJson(s.columns, s.partitionKeys),
    Status: 'NORMAL',
    SupportReadByRawSize: false,
  };
}

export function uploadSessionJson(s: UploadSession): Record<string, unknown> {
  const blocks = [...s.blocks.values()].sort((a, b) => a.blockId - b.blockId);
  return {
    Initiated: formatHttpDate(s.created),
    IsOverwrite: s.overwrite,
    MaxFieldSize: MAX_FIELD_SIZE,
    Owner: s.owner,
    QuotaName: s.quotaName,
    Schema: schemaJson(s.columns, s.partitionKeys),
    Status: s.status,
    UploadID: s.id,
    UploadedBlockList: blocks.map((b) => ({
      BlockID: b.blockId,
      CreateTime: Math.floor(b.created.getTime() / 1000),
      Date: formatHttpDate(b.created),
      FileName: `${s.id}_${b.blockId}_${b.version}`,
      RecordCount: b.rows.length,
      Version: b.version,
    })),
  };
}
