// DuckDB result vectors -> the ODPS value model, reading nested types straight from their flat child vectors.
import { DuckDBTypeId } from '@duckdb/node-api';
import type { DuckDBListVector, DuckDBStructVector, DuckDBType, DuckDBVector } from '@duckdb/node-api';
import { fromDuck } from './from-duck.js';

/** Value of row `i` of a vector. */
export type FromDuckVector = (v: DuckDBVector, i: number) => unknown;

/**
 * `vector.getItem()` of a LIST builds a sliced vector, a value array and a DuckDBListValue per row,
 * and a MAP adds an entry object per pair: about 2.5 µs a row for a short list, most of a download's
 * time. These readers index the child vector directly and only build the value-model result.
 *
 * `mapAsEntries`: the column was selected as `map_entries(m)` (a LIST of STRUCT(key, value), which
 * exposes its child vectors) and becomes a Map again here.
 */
export function fromDuckVector(t: DuckDBType, mapAsEntries = false): FromDuckVector {
  if (t.typeId === DuckDBTypeId.LIST) {
    if (mapAsEntries) return mapEntriesReader(t.valueType);
    const el = fromDuckVector(t.valueType);
    return (v, i) => {
      const lv = v as DuckDBListVector;
      // getItemVector is the public validity check (null for a NULL list).
      if (lv.getItemVector(i) === null) return null;
      const off = lv.getEntryOffset(i);
      const len = lv.getEntryLength(i);
      const child = lv.childVector;
      const out = new Array<unknown>(len);
      for (let j = 0; j < len; j++) out[j] = el(child, off + j);
      return out;
    };
  }
  if (t.typeId === DuckDBTypeId.STRUCT) {
    const names = t.entryNames;
    const convs = t.entryTypes.map((et) => fromDuckVector(et));
    return (v, i) => {
      const sv = v as DuckDBStructVector;
      if (!sv.isItemValid(i)) return null;
      const out: Record<string, unknown> = {};
      for (let k = 0; k < names.length; k++) out[names[k]!] = convs[k]!(sv.entryVectorAt(k), i);
      return out;
    };
  }
  const conv = fromDuck(t);
  return (v, i) => conv(v.getItem(i));
}

function mapEntriesReader(entryType: DuckDBType): FromDuckVector {
  if (entryType.typeId !== DuckDBTypeId.STRUCT || entryType.entryTypes.length !== 2) {
    throw new Error(`map_entries() gave ${entryType.toString()}, expected STRUCT(key, value)`);
  }
  const key = fromDuckVector(entryType.entryTypes[0]!);
  const value = fromDuckVector(entryType.entryTypes[1]!);
  return (v, i) => {
    const lv = v as DuckDBListVector;
    if (lv.getItemVector(i) === null) return null;
    const off = lv.getEntryOffset(i);
    const len = lv.getEntryLength(i);
    const sv = lv.childVector as DuckDBStructVector;
    const kv = sv.entryVectorAt(0);
    const vv = sv.entryVectorAt(1);
    const out = new Map<unknown, unknown>();
    for (let j = off; j < off + len; j++) out.set(key(kv, j), value(vv, j));
    return out;
  };
}

/** Whether a top-level column of this type should be selected as `map_entries(col)`. */
export function readAsMapEntries(t: DuckDBType): boolean {
  return t.typeId === DuckDBTypeId.MAP;
}
