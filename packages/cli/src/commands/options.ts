// Parsers for option values shared by several commands (k=v hints, positive integers, column lists).
import { Option } from 'commander';
import { UsageError } from '../errors.js';

/** commander collector for repeatable `--hint k=v`. */
export function collectHint(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new UsageError(`--hint expects key=value, got ${JSON.stringify(value)}`);
  return { ...previous, [value.slice(0, eq).trim()]: value.slice(eq + 1).trim() };
}

export function positiveInt(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n <= 0) throw new UsageError(`${name} must be a positive integer, got ${JSON.stringify(value)}`);
    return n;
  };
}

export function columnList(value: string): string[] {
  const cols = value.split(',').map((c) => c.trim()).filter((c) => c !== '');
  if (cols.length === 0) throw new UsageError('--columns needs at least one column name');
  return cols;
}

/** `--delimiter`: one character (`tab` or `\t` spell a tab); never a quote or a line break. */
export function delimiter(value: string): string {
  const d = value === 'tab' || value === '\\t' ? '\t' : value;
  if ([...d].length !== 1 || d === '"' || d === '\r' || d === '\n') throw new UsageError(`--delimiter must be one character other than a quote or a line break (or "tab"), got ${JSON.stringify(value)}`);
  return d;
}

/** `--compress`: the tunnel body codec of `download` and `upload` (tunnel.md §5). */
export const compressOption = (verb: string): Option =>
  new Option('--compress <codec>', `compress the tunnel bodies the ${verb}`).choices(['lz4', 'zstd', 'deflate', 'none']).default('none');
