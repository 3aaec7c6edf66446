// Partition spec text <-> key/value pairs: `ds='20250101',hh='08'`, `ds=20250101/hh=08` (quotes optional).
import { partitionKeyProblem, partitionValueProblem } from '@odps-ts/odps-client';
import { EmulatorHttpError } from '../errors.js';

/** Builds the error for a refused spec: REST answers 400 InvalidArgument, the tunnel InvalidPartitionSpec. */
export type SpecFailure = (why: string) => Error;

export function restSpecFailure(text: string): SpecFailure {
  return (why) => new EmulatorHttpError(400, 'InvalidArgument', `ODPS-0420411:Invalid argument - invalid partition spec '${shown(text)}': ${why}.`);
}

/**
 * Parse a spec; keys keep their order. Values may be bare (`ds=2025`, as the SDKs send the tunnel
 * parameter) or quoted with backslash escapes for the quote and backslash (`hh='it\'s'`, the REST form
 * and what odps-ts sends for such values). Every value must pass the shared partition value rules,
 * and a key may appear once: `hh=99/hh=07` must never collapse into `hh=07`.
 */
export function parsePartitionSpec(text: string, fail: SpecFailure = restSpecFailure(text)): Record<string, string> {
  const spec: Record<string, string> = {};
  if (text.trim() === '') return spec;
  const n = text.length;
  let i = 0;
  const skipSpace = (): void => {
    while (i < n && /\s/.test(text[i] as string)) i++;
  };
  for (;;) {
    const eq = text.indexOf('=', i);
    if (eq < 0) throw fail(`expected key=value at position ${i}`);
    const rawKey = text.slice(i, eq).trim().replace(/^`(.*)`$/, '$1');
    const keyProblem = partitionKeyProblem(rawKey);
    if (keyProblem) throw fail(`partition key '${shown(rawKey)}' ${keyProblem}`);
    const key = rawKey.toLowerCase();
    if (key in spec) throw fail(`partition key '${key}' given twice`);
    i = eq + 1;
    let value: string;
    const q = text[i];
    if (q === "'" || q === '"') {
      ({ value, end: i } = readQuoted(text, i, fail));
      skipSpace();
    } else {
      const start = i;
      while (i < n && text[i] !== ',' && text[i] !== '/') i++;
      value = text.slice(start, i);
      // A bare value with quotes is ambiguous (PyODPS/Java strip them, Go strips only some).
      if (/['"]/.test(value)) throw fail(`value of '${key}' has quotes but is not quoted`);
    }
    const valueProblem = partitionValueProblem(value);
    if (valueProblem) throw fail(`partition value of '${key}' ${valueProblem}`);
    spec[key] = value;
    if (i >= n) return spec;
    if (text[i] !== ',' && text[i] !== '/') throw fail(`expected ',' or '/' at position ${i}`);
    i++;
    if (text.slice(i).trim() === '') throw fail('trailing separator');
    skipSpace();
  }
}

/** A quoted value from `text[start]` (the quote) on; only `\\`, `\'` and `\"` are escapes. */
function readQuoted(text: string, start: number, fail: SpecFailure): { value: string; end: number } {
  const q = text[start] as string;
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i] as string;
    if (c === q) return { value, end: i + 1 };
    if (c === '\\') {
      const next = text[i + 1];
      // `\n`, `\t` and the like would stand for control characters, which no value may hold.
      if (next !== '\\' && next !== "'" && next !== '"') throw fail(`unsupported escape '\\${next ?? ''}' in a partition value`);
      value += next;
      i++;
    } else value += c;
  }
  throw fail('unterminated quote');
}

/** Spec text as shown in an error message: control characters made visible, long text cut. */
function shown(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text).slice(1, -1);
}

/** `ds='2025',hh='it\\'s'`: the REST form, quote and backslash escaped like the client writes them. */
export function formatPartitionSpec(spec: Record<string, string>): string {
  return Object.entries(spec).map(([k, v]) => `${k}='${v.replace(/[\\']/g, (c) => `\\${c}`)}'`).join(',');
}

/** `ds=20250101/hh=08`, the partition name form. */
export function partitionName(spec: Record<string, string>): string {
  return Object.entries(spec).map(([k, v]) => `${k}=${v}`).join('/');
}

/** True when every key of `filter` is in `spec` with the same value (a prefix/sub-spec filter). */
export function specMatches(spec: Record<string, string>, filter: Record<string, string>): boolean {
  return Object.entries(filter).every(([k, v]) => Object.entries(spec).some(([sk, sv]) => sk.toLowerCase() === k && sv === v));
}
