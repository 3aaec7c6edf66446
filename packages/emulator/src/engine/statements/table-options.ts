// CREATE TABLE options the service records as extended info: PRIMARY KEY, CLUSTERED BY ... INTO n BUCKETS, TBLPROPERTIES.
import { semanticError } from '../sql-error.js';
import type { SourcePos } from '../sql-error.js';
import type { ClusterInfo, TableInfo } from '../types.js';
import type { Cursor } from '../sql/cursor.js';

/** "(a, b)" column names, lower case. */
export function parseNameList(cur: Cursor, what: string): string[] {
  cur.expectOp('(');
  const names: string[] = [];
  do names.push(cur.expectIdent(what).name.toLowerCase());
  while (cur.acceptOp(','));
  cur.expectOp(')');
  return names;
}

/**
 * After `CLUSTERED BY` (hash) or `RANGE CLUSTERED BY`: "(cols) [SORTED BY (col [ASC|DESC], ...)] [INTO n BUCKETS]".
 * Hash clustering needs a bucket count (Java SDK Table.ClusterInfo: "Required when using Hash Cluster").
 */
export function parseClusterClause(cur: Cursor, type: ClusterInfo['type']): ClusterInfo {
  const columns = parseNameList(cur, 'cluster column');
  const sortColumns: ClusterInfo['sortColumns'] = [];
  if (cur.acceptWords('SORTED', 'BY')) {
    cur.expectOp('(');
    do {
      const name = cur.expectIdent('sort column').name.toLowerCase();
      const dir = cur.acceptWord('ASC', 'DESC');
      sortColumns.push({ name, order: dir && dir.value.toUpperCase() === 'DESC' ? 'DESC' : 'ASC' });
    } while (cur.acceptOp(','));
    cur.expectOp(')');
  }
  let bucketNum = 0;
  if (cur.acceptWord('INTO')) {
    bucketNum = cur.expectInteger('number of buckets');
    cur.expectWord('BUCKETS');
    if (bucketNum < 1) throw cur.unexpected('expecting a positive number of buckets');
  } else if (type === 'hash') {
    throw cur.unexpected('expecting INTO n BUCKETS after CLUSTERED BY');
  }
  return { type, columns, sortColumns, bucketNum };
}

/** "('k'='v', ...)" after TBLPROPERTIES; keys lower case. */
export function parseProperties(cur: Cursor): Map<string, string> {
  const props = new Map<string, string>();
  cur.expectOp('(');
  do {
    const key = cur.expectString('property name').toLowerCase();
    cur.expectOp('=');
    props.set(key, cur.expectString('property value'));
  } while (cur.acceptOp(','));
  cur.expectOp(')');
  return props;
}

/** Apply table properties the emulator models (`transactional`); others are accepted and ignored. */
export function applyProperties(info: TableInfo, props: Map<string, string>, pos: SourcePos): void {
  const t = props.get('transactional');
  if (t === undefined) return;
  const on = t.toLowerCase() === 'true';
  if (!on && t.toLowerCase() !== 'false') throw semanticError(pos, `invalid value '${t}' for table property transactional, expecting true or false`);
  if (!on && info.transactional) throw semanticError(pos, `cannot change transactional table ${info.name} to non-transactional`);
  if (on) info.transactional = true;
}

/**
 * Check the recorded key and cluster columns against the table (after parsing). Primary key columns
 * become NOT NULL; a primary key needs a transactional table (Delta table) [UNVERIFIED: exact service message].
 */
export function validateTableOptions(info: TableInfo, pos: SourcePos): void {
  const dataCol = (n: string): boolean => info.columns.some((c) => c.name === n);
  if (info.primaryKey) {
    if (!info.transactional) {
      throw semanticError(pos, `primary key is only supported on transactional table, add TBLPROPERTIES ('transactional'='true') to ${info.name}`);
    }
    const seen = new Set<string>();
    for (const k of info.primaryKey) {
      if (!dataCol(k)) throw semanticError(pos, `primary key column ${k} is not a column of ${info.name}`);
      if (seen.has(k)) throw semanticError(pos, `primary key column ${k} given twice`);
      seen.add(k);
      info.columns.find((c) => c.name === k)!.nullable = false;
    }
  }
  const ci = info.clusterInfo;
  if (ci) {
    for (const c of [...ci.columns, ...ci.sortColumns.map((x) => x.name)]) {
      if (!dataCol(c)) throw semanticError(pos, `cluster column ${c} is not a data column of ${info.name}`);
    }
  }
}
