// What a partition key and a partition value may be: one rule set, shared by the client and the emulator.
//
// No official SDK escapes partition values: PyODPS and Java render `k='v'` verbatim for REST and
// strip every quote for the tunnel `partition=` parameter, and both split spec text on `,` (Java also
// `/`) and `=`. A value holding a separator therefore names a different partition on the wire
// (`hh: '99/hh=07'` became `hh=07`). MaxCompute documents letters, digits, space and `: _ $ # . ! @`
// as the safe set and calls the behaviour of other characters (`\t`, `\n`, `/`) undefined. We refuse
// what cannot be carried unambiguously and escape the rest (quotes, backslash) on both sides.

import { hasLoneSurrogate } from '../types/text-checks.js';

/** MaxCompute caps partition values at 255 bytes [UNVERIFIED: one error-code page says 128]. */
export const MAX_PARTITION_VALUE_BYTES = 255;
/** Column names are at most 128 bytes (MaxCompute SQL limits); keys are ASCII words, so chars = bytes. */
export const MAX_PARTITION_KEY_LENGTH = 128;

const KEY_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
// C0 and C1 controls, DEL, and the Unicode line/paragraph separators: none survive every hop intact.
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const SEPARATOR_RE = /[/=,]/;
const encoder = new TextEncoder();

/** Why `key` cannot be a partition key, or undefined when it can. */
export function partitionKeyProblem(key: string): string | undefined {
  if (typeof key !== 'string' || !KEY_RE.test(key)) return 'must be a letter or _ followed by letters, digits or _';
  if (key.length > MAX_PARTITION_KEY_LENGTH) return `is longer than ${MAX_PARTITION_KEY_LENGTH} characters`;
  return undefined;
}

/**
 * Why `value` cannot be a partition value, or undefined when it can. Leading/trailing whitespace is
 * refused rather than trimmed: the service trims, so `' 7'` would silently address partition `7`.
 */
export function partitionValueProblem(value: string): string | undefined {
  if (typeof value !== 'string') return `must be a string, got ${typeof value}`;
  if (value === '') return 'is empty';
  if (value.trim() === '') return 'is only whitespace';
  if (value.trim() !== value) return 'has leading or trailing whitespace';
  if (CONTROL_RE.test(value)) return 'contains a control character or line break';
  const sep = SEPARATOR_RE.exec(value);
  if (sep) return `contains '${sep[0]}', which separates partition specs`;
  if (hasLoneSurrogate(value)) return 'is not well-formed Unicode (lone surrogate)';
  const bytes = encoder.encode(value).length;
  if (bytes > MAX_PARTITION_VALUE_BYTES) return `is ${bytes} bytes long, over the ${MAX_PARTITION_VALUE_BYTES}-byte limit`;
  return undefined;
}

/** Quote characters and backslash: allowed in values, but escaped wherever a spec is written as text. */
export function needsQuoting(value: string): boolean {
  return /['"\\]/.test(value);
}
