// The Reserved document of the extended table answer: transactional flag, primary key and cluster info with the SDKs' key names and shapes.
import { describe, expect, it } from 'vitest';
import { reservedJson, tableSchemaJson } from '../../src/server/routes/table-xml.js';
import type { TableInfo } from '../../src/engine/types.js';

function info(extra: Partial<TableInfo>): TableInfo {
  const t = new Date(Date.UTC(2025, 0, 1));
  return {
    project: 'p', schema: 'default', name: 't', owner: 'o', comment: '', type: 'MANAGED_TABLE',
    columns: [{ name: 'id', type: 'bigint', nullable: false }, { name: 'c', type: 'string' }], partitionKeys: [],
    lifecycle: -1, createTime: t, lastDDLTime: t, lastModifiedTime: t, ...extra,
  };
}

function reserved(t: TableInfo): Record<string, unknown> {
  // The plain answer has no Reserved: the SDKs load it with ?extended (rest.md §3.2).
  const plain = JSON.parse(tableSchemaJson(t, { recordNum: 0, size: 0 })) as Record<string, unknown>;
  expect(plain['Reserved']).toBeUndefined();
  // The extended answer sends it as a JSON document inside a string (PyODPS/Java parse it again).
  return JSON.parse(JSON.stringify(reservedJson(t))) as Record<string, unknown>;
}

describe('Reserved in the table schema JSON', () => {
  it('is non-transactional without keys or cluster info for a plain table', () => {
    const r = reserved(info({}));
    expect(r).toEqual({ Transactional: 'false', PrimaryKey: [], schema_version: '0' });
  });

  it('carries Transactional, PrimaryKey and hash cluster info (BucketNum a number, SortCols {col, order})', () => {
    const r = reserved(info({
      transactional: true,
      primaryKey: ['id'],
      clusterInfo: { type: 'hash', columns: ['id', 'c'], sortColumns: [{ name: 'c', order: 'DESC' }], bucketNum: 16 },
    }));
    expect(r).toEqual({
      Transactional: 'true', PrimaryKey: ['id'], schema_version: '0',
      ClusterType: 'hash', BucketNum: 16, ClusterCols: ['id', 'c'], SortCols: [{ col: 'c', order: 'DESC' }],
    });
  });

  it('marks materialized views', () => {
    const doc = JSON.parse(tableSchemaJson(info({ type: 'MATERIALIZED_VIEW', viewText: 'select 1' }), { recordNum: 1, size: 8 })) as Record<string, unknown>;
    expect(doc['isMaterializedView']).toBe(true);
    expect(doc['isVirtualView']).toBe(false);
  });
});
