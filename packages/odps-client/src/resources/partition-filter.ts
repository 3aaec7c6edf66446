// PyODPS-style partition conditions (`ds>=20250101,hh=08`): parsed, split into a pushed-down prefix and a local test.
import { InvalidPartitionSpecError } from '../errors.js';
import { PartitionSpec } from '../core/partition-spec.js';

/** Longest operators first so `>=` is not read as `>`, and `==` not as `=`. */
const OPERATORS = ['==', '>=', '<=', '<>', '!=', '>', '<', '='] as const;
type Operator = (typeof OPERATORS)[number];

const TESTS: Record<Operator, (a: string, b: string) => boolean> = {
  '==': (a, b) => a === b, '=': (a, b) => a === b, '>=': (a, b) => a >= b, '<=': (a, b) => a <= b,
  '<>': (a, b) => a !== b, '!=': (a, b) => a !== b, '>': (a, b) => a > b, '<': (a, b) => a < b,
};

export interface PartitionFilter {
  /** Leading keys pinned by a single equality, sent as the listing's `partition=` (as PyODPS does). */
  pushed: PartitionSpec | undefined;
  /** The remaining conditions, checked on each listed partition. */
  matches(spec: PartitionSpec): boolean;
}

function unquote(v: string): string {
  const m = /^(['"])(.*)\1$/s.exec(v);
  return m ? (m[2] as string) : v;
}

/**
 * Parse comma-separated `key<op>value` conditions over `keys` (the table's partition keys, in order).
 * Values compare as strings, as in PyODPS `PartitionSpecCondition`: the service has no server-side
 * filter parameter beyond the prefix spec, so the rest is applied to the listing.
 */
export function parsePartitionFilter(text: string, keys: string[], table: string): PartitionFilter {
  if (typeof text !== 'string' || text.trim() === '') throw new InvalidPartitionSpecError(`partition filter of ${table} is empty`);
  const byKey = new Map<string, { op: Operator; value: string }[]>();
  const keyOf = new Map(keys.map((k) => [k.toLowerCase(), k]));
  for (const raw of text.split(',')) {
    const part = raw.trim();
    const op = OPERATORS.find((o) => part.includes(o));
    if (!op) throw new InvalidPartitionSpecError(`partition condition ${JSON.stringify(part)} has no comparison (${OPERATORS.join(' ')})`);
    const at = part.indexOf(op);
    const name = part.slice(0, at).trim();
    const key = keyOf.get(name.toLowerCase());
    if (!key) throw new InvalidPartitionSpecError(`partition condition ${JSON.stringify(part)}: ${JSON.stringify(name)} is not a partition key of ${table} (keys: ${keys.join(', ')})`);
    const value = unquote(part.slice(at + op.length).trim());
    if (value === '') throw new InvalidPartitionSpecError(`partition condition ${JSON.stringify(part)} has no value`);
    byKey.set(key, [...(byKey.get(key) ?? []), { op, value }]);
  }
  const pinned: [string, string][] = [];
  for (const k of keys) {
    const conds = byKey.get(k);
    if (!conds || conds.length !== 1 || (conds[0]!.op !== '=' && conds[0]!.op !== '==')) break;
    pinned.push([k, conds[0]!.value]);
    byKey.delete(k);
  }
  const rest = [...byKey.entries()];
  return {
    pushed: pinned.length > 0 ? new PartitionSpec(pinned) : undefined,
    matches: (spec) => rest.every(([k, conds]) => {
      const v = spec.get(k);
      return v !== undefined && conds.every((c) => TESTS[c.op](v, c.value));
    }),
  };
}
