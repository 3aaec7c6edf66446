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
  if (t.typeId === DuckDBTypeId.VARCHAR) return varcharReader;
  if (t.typeId === DuckDBTypeId.LIST) {
    if (mapAsEntries) return mapEntriesReader(t.valueType);
    const el = fromDuckVector(t.valueType);
    return (v, i) => {
      const lv = v as DuckDBListVector;
      if (isNullItem(lv, i)) return null;
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

// Internals of @duckdb/node-api 1.5.x vectors (the version is pinned, design §8), used only when
// present: the validity mask and, for VARCHAR, the 16-byte string headers. Without them the public
// (slower) calls are used, so an upgrade that renames them stays correct.
interface VectorInternals {
  validity?: { itemValid?: (i: number) => boolean };
  dataView?: DataView;
}

function isNullItem(lv: DuckDBListVector, i: number): boolean {
  const validity = (lv as unknown as VectorInternals).validity;
  if (typeof validity?.itemValid === 'function') return !validity.itemValid(i);
  // getItemVector is the public validity check (null for a NULL list).
  return lv.getItemVector(i) === null;
}

/**
 * DuckDB inlines strings of at most 12 bytes in the header; for those, ASCII is decoded here (a
 * TextDecoder call costs more than the decode); longer or non-ASCII strings go through getItem.
 */
const varcharReader: FromDuckVector = (v, i) => {
  const internals = v as unknown as VectorInternals;
  const dv = internals.dataView;
  const validity = internals.validity;
  if (!(dv instanceof DataView) || typeof validity?.itemValid !== 'function') return v.getItem(i);
  if (!validity.itemValid(i)) return null;
  const at = i * 16;
  const len = dv.getUint32(at, true);
  if (len > 12) return v.getItem(i);
  let out = '';
  for (let k = 0; k < len; k++) {
    const b = dv.getUint8(at + 4 + k);
    if (b >= 0x80) return v.getItem(i);
    out += String.fromCharCode(b);
  }
  return out;
};

function mapEntriesReader(entryType: DuckDBType): FromDuckVector {
  if (entryType.typeId !== DuckDBTypeId.STRUCT || entryType.entryTypes.length !== 2) {
    throw new Error(`map_entries() gave ${entryType.toString()}, expected STRUCT(key, value)`);
  }
  const key = fromDuckVector(entryType.entryTypes[0]!);
  const value = fromDuckVector(entryType.entryTypes[1]!);
  return (v, i) => {
    const lv = v as DuckDBListVector;
    if (isNullItem(lv, i)) return null;
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
