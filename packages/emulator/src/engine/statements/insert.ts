// INSERT INTO|OVERWRITE [TABLE] t [PARTITION (...)] [(cols)] VALUES/SELECT, and TRUNCATE TABLE.
import type { TableEntry } from '../catalog.js';
import { physicalTable, quoteIdent, quoteLiteral, specText } from '../physical-names.js';
import type { Session } from '../session.js';
import { semanticError } from '../sql-error.js';
import type { SourcePos } from '../sql-error.js';
import type { SqlResult } from '../types.js';
import { applyWriteRules } from '../write-rules.js';
import type { Cursor } from '../sql/cursor.js';
import { isOp, isWord } from '../sql/tokenizer.js';
import { EMPTY_RESULT } from './ddl-table.js';
import { fullSpec, parseSpecItems, specWhere } from './partition-spec.js';
import type { SpecItem } from './partition-spec.js';

const TEMP = '"__odps_overwrite"';

function requireTable(entry: TableEntry, pos: SourcePos): void {
  if (entry.info.type === 'VIRTUAL_VIEW' || entry.info.type === 'MATERIALIZED_VIEW') {
    throw semanticError(pos, `cannot insert into ${entry.info.type === 'VIRTUAL_VIEW' ? 'view' : 'materialized view'} ${entry.info.name}`);
  }
}

/** Register a static partition (INSERT into it creates it even when no row arrives). */
async function ensurePartition(s: Session, entry: TableEntry, spec: Record<string, string>): Promise<void> {
  const key = specText(spec);
  if (entry.partitions.has(key)) return;
  const now = new Date();
  const p = { spec, createTime: now, lastModifiedTime: now, recordCount: 0, size: 0 };
  entry.partitions.set(key, p);
  await s.core.meta.savePartition(entry.info, p);
}

/** INSERT ... (after INSERT). */
export async function insert(s: Session, cur: Cursor, stmtPos: SourcePos): Promise<SqlResult> {
  const overwrite = cur.expectWord('INTO', 'OVERWRITE').value.toUpperCase() === 'OVERWRITE';
  // TABLE is optional after INTO and after OVERWRITE alike (the service accepts `INSERT OVERWRITE t ...`).
  cur.acceptWord('TABLE');
  const { parts, token } = cur.expectName('table name');
  const entry = s.require(parts, token);
  requireTable(entry, token);
  const info = entry.info;
  let items: SpecItem[] = [];
  if (cur.acceptWord('PARTITION')) {
    if (info.partitionKeys.length === 0) throw semanticError(token, `table ${info.project}.${info.name} is not partitioned`);
    items = parseSpecItems(cur, entry, true);
    if (items.length !== info.partitionKeys.length) {
      // every key must appear, statically or dynamically
      fullSpec(items.map((i) => ({ key: i.key, value: i.value ?? '' })), entry, token);
    }
  } else if (info.partitionKeys.length > 0) {
    throw semanticError(token, `partitioned table ${info.project}.${info.name} needs a PARTITION clause in INSERT`);
  }
  let targetCols = info.columns.map((c) => c.name);
  const isDynamic = (name: string): boolean => items.some((i) => i.key === name && i.value === undefined);
  if (isOp(cur.peek(), '(') && (cur.peek(1)?.kind === 'word' || cur.peek(1)?.kind === 'qident') && !isWord(cur.peek(1), 'SELECT', 'WITH', 'VALUES', 'FROM')) {
    cur.expectOp('(');
    targetCols = [];
    do {
      const c = cur.expectIdent('column name');
      const name = c.name.toLowerCase();
      // A dynamic partition column may be listed too: its value then comes at that position.
      if (!info.columns.some((x) => x.name === name) && !isDynamic(name)) {
        throw semanticError(c.token, `column ${c.name} cannot be resolved in ${info.name}`);
      }
      if (targetCols.includes(name)) throw semanticError(c.token, `column ${c.name} given twice in the column list`);
      targetCols.push(name);
    } while (cur.acceptOp(','));
    cur.expectOp(')');
  }
  if (cur.done) throw cur.unexpected('expecting VALUES or SELECT');
  const query = s.translate(cur.rest());
  const statics = items.filter((i) => i.value !== undefined);
  const dynamics = items.filter((i) => i.value === undefined);
  const trailing = dynamics.filter((d) => !targetCols.includes(d.key)).map((d) => d.key);
  const ordered = [...targetCols, ...trailing, ...statics.map((st) => st.key)];
  const insertCols = ordered.map(quoteIdent).join(', ');
  const selectList = ['__q.*', ...statics.map((st) => quoteLiteral(st.value!))].join(', ');
  const source = `SELECT ${selectList} FROM (${query}) AS __q`;
  const phys = physicalTable(info.project, info.schema, info.name);
  const staticSpec: Record<string, string> = {};
  for (const st of statics) staticSpec[st.key] = st.value!;
  const fullStatic = info.partitionKeys.length > 0 && dynamics.length === 0 ? fullSpec(items, entry, token) : undefined;

  if (!overwrite) {
    await s.exec(`INSERT INTO ${phys} (${insertCols}) ${source}`, stmtPos);
  } else {
    // Materialize first: the query may read the very rows being replaced.
    await s.exec(`DROP TABLE IF EXISTS ${TEMP}`, stmtPos);
    const names = ordered.map(quoteIdent);
    await s.exec(`CREATE TEMP TABLE ${TEMP} AS SELECT * FROM (${source}) AS __s(${names.join(', ')})`, stmtPos);
    let where = specWhere(staticSpec);
    if (dynamics.length > 0) {
      const match = dynamics
        .map((d) => `CAST(${TEMP}.${quoteIdent(d.key)} AS VARCHAR) = ${phys}.${quoteIdent(d.key)}`)
        .join(' AND ');
      where += ` AND EXISTS (SELECT 1 FROM ${TEMP} WHERE ${match})`;
    }
    await s.exec(`DELETE FROM ${phys} WHERE ${where}`, stmtPos);
    await s.exec(`INSERT INTO ${phys} (${insertCols}) SELECT * FROM ${TEMP}`, stmtPos);
    await s.exec(`DROP TABLE ${TEMP}`, stmtPos);
  }
  await applyWriteRules(s.conn, info, stmtPos);
  if (fullStatic) await ensurePartition(s, entry, fullStatic);
  await s.refreshStats(entry, fullStatic ? [fullStatic] : info.partitionKeys.length === 0 ? 'all' : [], stmtPos);
  return EMPTY_RESULT;
}

/** TRUNCATE TABLE t [PARTITION (...) [, PARTITION (...)]] (after TRUNCATE). */
export async function truncate(s: Session, cur: Cursor, stmtPos: SourcePos): Promise<SqlResult> {
  cur.expectWord('TABLE');
  const { parts, token } = cur.expectName('table name');
  const entry = s.require(parts, token);
  requireTable(entry, token);
  const phys = physicalTable(entry.info.project, entry.info.schema, entry.info.name);
  const written: Record<string, string>[] = [];
  if (isWord(cur.peek(), 'PARTITION')) {
    do {
      cur.expectWord('PARTITION');
      const items = parseSpecItems(cur, entry, false);
      const spec: Record<string, string> = {};
      for (const i of items) spec[i.key] = i.value!;
      await s.exec(`DELETE FROM ${phys} WHERE ${specWhere(spec)}`, stmtPos);
      if (items.length === entry.info.partitionKeys.length) written.push(fullSpec(items, entry, token));
      cur.acceptOp(',');
    } while (isWord(cur.peek(), 'PARTITION'));
  } else {
    await s.exec(`DELETE FROM ${phys}`, stmtPos);
  }
  cur.expectEnd();
  await s.refreshStats(entry, written.length > 0 ? written : 'all', stmtPos);
  return EMPTY_RESULT;
}
