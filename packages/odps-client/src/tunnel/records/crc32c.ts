// CRC32C (Castagnoli) helpers: slicing-by-8 JS tables for small inputs, the native @node-rs/crc32 for larger ones.
import { crc32c as nativeCrc32c } from '@node-rs/crc32';

function makeTables(): Int32Array[] {
  const t: Int32Array[] = [];
  for (let k = 0; k < 8; k++) t.push(new Int32Array(256));
  const t0 = t[0]!;
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t0[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    for (let k = 1; k < 8; k++) t[k]![n] = t0[t[k - 1]![n]! & 0xff]! ^ (t[k - 1]![n]! >>> 8);
  }
  return t;
}

const [T0, T1, T2, T3, T4, T5, T6, T7] = makeTables() as [Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array];

// The native call costs ~200-300 ns (subarray + N-API) whatever the size; slicing-by-8 in JS wins
// below a few hundred bytes, which is most record checksums (measured on Node 20, bench/ codec cases).
const NATIVE_THRESHOLD = 256;

/** Continues `crc` (a finished CRC32C, 0 for none) over src[start, end). */
export function crc32cUpdate(crc: number, src: Uint8Array, start: number, end: number): number {
  if (end - start >= NATIVE_THRESHOLD) return nativeCrc32c(src.subarray(start, end) as Buffer, crc);
  let c = ~crc;
  let i = start;
  for (const last = end - 8; i <= last; i += 8) {
    c ^= src[i]! | (src[i + 1]! << 8) | (src[i + 2]! << 16) | (src[i + 3]! << 24);
    c = T7[c & 0xff]! ^ T6[(c >>> 8) & 0xff]! ^ T5[(c >>> 16) & 0xff]! ^ T4[c >>> 24]!
      ^ T3[src[i + 4]!]! ^ T2[src[i + 5]!]! ^ T1[src[i + 6]!]! ^ T0[src[i + 7]!]!;
  }
  for (; i < end; i++) c = T0[(c ^ src[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** Continues `crc` over the 4-byte little-endian form of `v`. */
export function crc32cInt32(crc: number, v: number): number {
  const c = ~crc ^ v;
  return ~(T3[c & 0xff]! ^ T2[(c >>> 8) & 0xff]! ^ T1[(c >>> 16) & 0xff]! ^ T0[c >>> 24]!) >>> 0;
}

/** Continues `crc` over one byte. */
export function crc32cByte(crc: number, b: number): number {
  const c = ~crc;
  return ~(T0[(c ^ b) & 0xff]! ^ (c >>> 8)) >>> 0;
}

/** CRC32C of a whole buffer. */
export function crc32c(src: Uint8Array): number {
  return crc32cUpdate(0, src, 0, src.length);
}
