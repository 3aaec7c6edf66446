// PARTITION (k='v', ...) clauses: parsing against a table's partition keys and DuckDB WHERE text.
import { partitionValueProblem } from '@odps-ts/odps-client';
import type { TableEntry } from '../catalog.js';
import { quoteIdent, quoteLiteral, specSql } from '../physical-names.js';
import { semanticError } from '../sql-error.js';
import type { SourcePos } from '../sql-error.js';
import type { Cursor } from '../sql/cursor.js';

export interface SpecItem {
  key: string;
  /** Undefined for a dynamic partition column (INSERT ... PARTITION (ds)). */
  value?: string;
}

/** Parse "(k='v', k2=v2, k3)" after PARTITION; keys are checked against the table. */
export function parseSpecItems(cur: Cursor, entry: TableEntry, allowDynamic: boolean): SpecItem[] {
  cur.expectOp('(');
  const items: SpecItem[] = [];
  const keys = entry.info.partitionKeys.map((k) => k.name);
  do {
    const { name, token } = cur.expectIdent('partition column');
    const key = name.toLowerCase();
    if (!keys.includes(key)) {
      throw semanticError(token, `${entry.info.name} has no partition column ${name}`);
    }
    if (items.some((i) => i.key === key)) throw semanticError(token, `partition column ${name} given twice`);
    if (cur.acceptOp('=')) {
      const t = cur.next();
      let value: string;
      if (t.kind === 'string' || t.kind === 'number' || t.kind === 'word') value = t.value;
      else if (t.kind === 'op' && t.text === '-' && cur.peek()?.kind === 'number') value = '-' + cur.next().value;
      else throw semanticError(t, `invalid partition value '${t.text}'`);
      const problem = partitionValueProblem(value);
      if (problem) throw semanticError(t, invalidValueMessage(name, problem));
      items.push({ key, value });
    } else {
      if (!allowDynamic) throw semanticError(token, `partition column ${name} needs a value`);
      items.push({ key });
    }
  } while (cur.acceptOp(','));
  cur.expectOp(')');
  return items;
}

/** The message for a value the shared partition rules refuse (no separators, padding, control chars). */
export function invalidValueMessage(key: string, problem: string): string {
  return `invalid partition value - partition value of ${key} ${problem}`;
}

/** A full static spec in partition key order (every key given a value). */
export function fullSpec(items: SpecItem[], entry: TableEntry, pos: SourcePos): Record<string, string> {
  const spec: Record<string, string> = {};
  for (const k of entry.info.partitionKeys) {
    const item = items.find((i) => i.key === k.name);
    if (item?.value === undefined) {
      throw semanticError(pos, `partition spec must give a value for every partition column of ${entry.info.name} (missing ${k.name})`);
    }
    spec[k.name] = item.value;
  }
  return spec;
}

/** Validate a spec given through the API (tunnel/readRows): exact keys, key order normalized. */
export function normalizeSpec(entry: TableEntry, given: Record<string, string>, partial = false): Record<string, string> {
  const lowerGiven = new Map(Object.entries(given).map(([k, v]) => [k.toLowerCase(), v]));
  const spec: Record<string, string> = {};
  for (const k of entry.info.partitionKeys) {
    const v = lowerGiven.get(k.name);
    if (v === undefined) {
      if (partial) continue;
      throw semanticError(undefined, `partition spec ${specSql(given)} misses partition column ${k.name} of ${entry.info.name}`);
    }
    const problem = partitionValueProblem(String(v));
    if (problem) throw semanticError(undefined, invalidValueMessage(k.name, problem));
    spec[k.name] = String(v);
    lowerGiven.delete(k.name);
  }
  if (lowerGiven.size > 0) {
    throw semanticError(undefined, `${entry.info.name} has no partition column ${[...lowerGiven.keys()].join(', ')}`);
  }
  return spec;
}

/** DuckDB WHERE condition selecting the rows of a (possibly partial) spec. */
export function specWhere(spec: Record<string, string>): string {
  const parts = Object.entries(spec).map(([k, v]) => `${quoteIdent(k)} = ${quoteLiteral(v)}`);
  return parts.length === 0 ? 'TRUE' : parts.join(' AND ');
}

/** Whether a registered spec matches a partial spec. */
export function specMatches(spec: Record<string, string>, partial: Record<string, string>): boolean {
  return Object.entries(partial).every(([k, v]) => spec[k] === v);
}
