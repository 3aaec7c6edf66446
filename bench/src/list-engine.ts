// An engine wrapper that makes one extra project list many synthetic tables (no DuckDB DDL for 10k tables).
import type { Engine, TableInfo } from '@odps-ts/emulator';

export function withListedTables(engine: Engine, project: string, count: number, owner: string): Engine {
  const created = new Date(Date.UTC(2025, 0, 1));
  const tables: TableInfo[] = [];
  for (let i = 0; i < count; i++) {
    tables.push({
      project, schema: 'default', name: `t_${String(i).padStart(6, '0')}`, owner, comment: `synthetic table ${i}`,
      type: 'MANAGED_TABLE', columns: [{ name: 'id', type: 'bigint' }], partitionKeys: [], lifecycle: -1,
      createTime: created, lastDDLTime: created, lastModifiedTime: created,
    });
  }
  return new Proxy(engine, {
    get(target, key, receiver) {
      if (key === 'listTables') {
        return (p: string, opts?: Parameters<Engine['listTables']>[1]) => (p.toLowerCase() === project ? tables : target.listTables(p, opts));
      }
      const v = Reflect.get(target, key, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
