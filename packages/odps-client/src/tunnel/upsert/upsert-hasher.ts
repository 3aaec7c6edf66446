// The service's bucketing hash of upsert keys ("default" and "legacy" hashers), in 32-bit halves without BigInt.
import { OdpsArgumentError } from '../../errors.js';
import { parseEpochDay } from '../../types/calendar.js';
import type { OdpsType } from '../../types/odps-type.js';
import { Timestamp } from '../../types/values.js';

/**
 * Semantics follow Java's `tunnel/hasher/DefaultHashFactory` / `LegacyHashFactory` (int64 and int32
 * arithmetic wrapping at every step, string bytes added as SIGNED bytes), which PyODPS' Cython
 * `hasher_c.pyx` matches. PyODPS' pure-Python fallback does not wrap and adds unsigned bytes, so it
 * routes non-ASCII strings and some large values differently; we follow Java.
 */
export type HasherKind = 'default' | 'legacy';

// Scratch result of the 64-bit helpers: hi is int32, lo is uint32.
let rh = 0;
let rl = 0;

function add(ah: number, al: number, bh: number, bl: number): void {
  const lo = al + bl;
  rl = lo >>> 0;
  rh = (ah + bh + (lo > 0xffffffff ? 1 : 0)) | 0;
}

function shl(h: number, l: number, n: number): void {
  rh = (h << n) | (l >>> (32 - n));
  rl = (l << n) >>> 0;
}

function sar(h: number, l: number, n: number): void {
  rl = ((l >>> n) | (h << (32 - n))) >>> 0;
  rh = h >> n;
}

/** Java `DefaultHashFactory.basicLongHasher` on the int64 (hi, lo). */
function defaultLong(hi: number, lo: number): number {
  let h = hi | 0;
  let l = lo >>> 0;
  // l = ~l + (l << 18)
  shl(h, l, 18);
  add(~h, ~l >>> 0, rh, rl);
  h = rh; l = rl;
  // l ^= l >> 31
  sar(h, l, 31);
  h ^= rh; l = (l ^ rl) >>> 0;
  // l *= 21  (16l + 4l + l)
  shl(h, l, 4);
  const h16 = rh, l16 = rl;
  shl(h, l, 2);
  add(rh, rl, h16, l16);
  add(rh, rl, h, l);
  h = rh; l = rl;
  // l ^= l >> 11
  sar(h, l, 11);
  h ^= rh; l = (l ^ rl) >>> 0;
  // l += l << 6
  shl(h, l, 6);
  add(h, l, rh, rl);
  h = rh; l = rl;
  // l ^= l >> 22
  sar(h, l, 22);
  l = (l ^ rl) >>> 0;
  return l | 0;
}

function legacyLong(hi: number, lo: number): number {
  // (l >> 32) ^ l, truncated to int32
  return (hi ^ lo) | 0;
}

function longHash(kind: HasherKind, hi: number, lo: number): number {
  return kind === 'legacy' ? legacyLong(hi, lo) : defaultLong(hi, lo);
}

function numberHalves(n: number): [number, number] {
  // Safe integers only (callers check): split into int32 hi and uint32 lo, two's complement.
  const lo = n >>> 0;
  const hi = Math.floor(n / 4294967296) | 0;
  return [hi, lo];
}

function bigintHalves(v: bigint): [number, number] {
  const u = BigInt.asUintN(64, v);
  return [Number(u >> 32n) | 0, Number(u & 0xffffffffn)];
}

const f64 = new Float64Array(1);
const f32 = new Float32Array(1);
const u32of64 = new Uint32Array(f64.buffer);
const i32of32 = new Int32Array(f32.buffer);
const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function stringHash(kind: HasherKind, bytes: Uint8Array): number {
  let h = 0;
  if (kind === 'legacy') {
    for (let i = 0; i < bytes.length; i++) h = (Math.imul(h, 31) + ((bytes[i]! << 24) >> 24)) | 0;
    return h;
  }
  for (let i = 0; i < bytes.length; i++) {
    h = (h + ((bytes[i]! << 24) >> 24)) | 0;
    h = (h + (h << 10)) | 0;
    h ^= h >> 6;
  }
  h = (h + (h << 3)) | 0;
  h ^= h >> 11;
  h = (h + (h << 15)) | 0;
  return h;
}

const TRUE_HASH = 0x172ba9c7;
const FALSE_HASH = -0x3a59cb12;
const encoder = new TextEncoder();

/** Types the hashers define (Java's factory map minus DECIMAL and INTERVAL_DAY_TIME, not ported). */
export function isHashableKeyType(type: OdpsType): boolean {
  return ['tinyint', 'smallint', 'int', 'bigint', 'float', 'double', 'boolean', 'string', 'varchar', 'char', 'binary', 'date', 'datetime', 'timestamp', 'timestamp_ntz'].includes(type.kind);
}

/**
 * Hash of one key value, already in the read value model (coerceValue's output). null hashes to 0
 * (Java's hashers), though upsert keys are never null.
 */
export function hashKeyValue(kind: HasherKind, type: OdpsType, v: unknown): number {
  if (v === null || v === undefined) return 0;
  switch (type.kind) {
    case 'tinyint':
    case 'smallint':
    case 'int': {
      const [hi, lo] = numberHalves(v as number);
      return longHash(kind, hi, lo);
    }
    case 'bigint': {
      const [hi, lo] = typeof v === 'number' ? numberHalves(v) : bigintHalves(v as bigint);
      return longHash(kind, hi, lo);
    }
    case 'float': {
      f32[0] = v as number;
      // Java's floatToIntBits: one canonical NaN.
      const bits = Number.isNaN(v) ? 0x7fc00000 : i32of32[0]!;
      return longHash(kind, bits >> 31, bits >>> 0);
    }
    case 'double': {
      f64[0] = Number.isNaN(v) ? NaN : (v as number);
      const lo = LITTLE ? u32of64[0]! : u32of64[1]!;
      const hi = LITTLE ? u32of64[1]! : u32of64[0]!;
      return longHash(kind, hi | 0, lo);
    }
    case 'boolean':
      return v ? TRUE_HASH : FALSE_HASH;
    case 'string':
    case 'varchar':
    case 'char':
    case 'binary':
      return stringHash(kind, typeof v === 'string' ? encoder.encode(v) : (v as Uint8Array));
    case 'date': {
      // Epoch seconds of the UTC day start.
      const days = typeof v === 'string' ? parseEpochDay(v) : undefined;
      if (days === undefined) throw new OdpsArgumentError(`cannot hash DATE key value ${String(v).slice(0, 32)}`);
      const [hi, lo] = numberHalves(days * 86400);
      return longHash(kind, hi, lo);
    }
    case 'datetime': {
      const [hi, lo] = numberHalves((v as Date).getTime());
      return longHash(kind, hi, lo);
    }
    case 'timestamp':
    case 'timestamp_ntz': {
      // (epochSeconds << 30) | nanos, as Java's TimestampHasher.
      const ts = v instanceof Timestamp ? v : Timestamp.fromDate(v as Date);
      const [sh, sl] = bigintHalves(ts.epochSeconds);
      shl(sh, sl, 30);
      return longHash(kind, rh, (rl | ts.nanos) >>> 0);
    }
    default:
      throw new OdpsArgumentError(`an upsert key of type ${type.kind.toUpperCase()} cannot be hashed by this client`);
  }
}

/** Java `TypeHasher.CombineHashVal`: int32 sum of the column hashes, then `x ^ (x >> 8)` (never negative). */
export function combineHashes(hashes: readonly number[]): number {
  let sum = 0;
  for (const h of hashes) sum = (sum + h) | 0;
  return sum ^ (sum >> 8);
}

/** The bucket of a row whose key values (in `hash_key` order) are given. */
export function bucketOf(kind: HasherKind, types: readonly OdpsType[], values: readonly unknown[], bucketCount: number): number {
  const hashes = types.map((t, i) => hashKeyValue(kind, t, values[i]));
  return combineHashes(hashes) % bucketCount;
}
