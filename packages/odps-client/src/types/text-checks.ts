// Checks that keep values from changing silently on the way to the wire: lone surrogates, FLOAT range.

type WellFormed = { isWellFormed(): boolean };

/**
 * True when `s` holds a lone UTF-16 surrogate, which UTF-8 cannot encode (TextEncoder and
 * Buffer would write U+FFFD instead). String#isWellFormed (Node 20) answers one-byte strings
 * without a scan, so ASCII/Latin-1 text pays no per-character cost.
 */
export function hasLoneSurrogate(s: string): boolean {
  return !(s as unknown as WellFormed).isWellFormed();
}

/**
 * Why `v` cannot be stored as FLOAT (float32), or undefined when it can. Rounding to the nearest
 * float32 (Math.fround, subnormals included) is the documented behaviour; a finite value that
 * rounds to ±Infinity or a non-zero value that rounds to zero is refused. NaN and ±Infinity given
 * as such are stored as they are.
 */
export function float32Problem(v: number): string | undefined {
  const f = Math.fround(v);
  if (f === 0) return v === 0 ? undefined : 'underflows FLOAT to zero';
  if (f - f !== 0 && v - v === 0) return 'out of FLOAT range';
  return undefined;
}

/** Column path WireWriter.utf8 puts in its ValueTypeError; the record encoder replaces it with the column name. */
export const TEXT_VALUE_PATH = '<text>';
