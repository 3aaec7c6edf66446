// Parses a read session's FilterPredicate and checks it against the table: known columns, constants of fitting types.
import { parsePredicate, type Column, type Predicate, type PredicateOperand } from '@odps-ts/odps-client';
import { EmulatorHttpError } from '../errors.js';

type Kind = 'number' | 'string' | 'boolean' | 'time' | 'decimal';

function kindOf(type: string): Kind | undefined {
  const t = type.toLowerCase();
  if (/^(tinyint|smallint|int|bigint|float|double)$/.test(t)) return 'number';
  if (t.startsWith('decimal')) return 'decimal';
  if (t === 'string' || t.startsWith('varchar') || t.startsWith('char')) return 'string';
  if (t === 'boolean') return 'boolean';
  if (t === 'date' || t === 'datetime' || t === 'timestamp' || t === 'timestamp_ntz') return 'time';
  return undefined;
}

function invalid(message: string): EmulatorHttpError {
  return new EmulatorHttpError(400, 'InvalidArgument', `ODPS-0420411:Invalid argument - filter predicate: ${message}`);
}

function constantFits(kind: Kind, v: string | number | bigint | boolean): boolean {
  switch (kind) {
    case 'number':
      return typeof v === 'number' || typeof v === 'bigint';
    case 'decimal':
      return typeof v === 'number' || typeof v === 'bigint' || (typeof v === 'string' && /^[+-]?(\d+\.?\d*|\.\d+)$/.test(v));
    case 'boolean':
      return typeof v === 'boolean';
    default:
      return typeof v === 'string';
  }
}

/**
 * The parsed tree, or undefined for an empty filter. Refused (400): text that does not parse, columns
 * the table lacks (data or partition), complex-typed columns, and constants whose type cannot compare
 * with the column (a string against a BIGINT, a number against a STRING...), so DuckDB never gets to
 * guess a cast.
 */
export function checkedPredicate(text: unknown, columns: readonly Column[]): Predicate | undefined {
  if (text === undefined || text === null || text === '') return undefined;
  if (typeof text !== 'string') throw invalid('FilterPredicate must be a string');
  let tree: Predicate | undefined;
  try {
    tree = parsePredicate(text);
  } catch (err) {
    throw invalid(err instanceof Error ? err.message : String(err));
  }
  if (!tree) return undefined;
  const byName = new Map(columns.map((c) => [c.name.toLowerCase(), c]));
  const kindOfOperand = (o: PredicateOperand): Kind | undefined => {
    if (o.kind === 'constant') return undefined;
    const c = byName.get(o.name.toLowerCase());
    if (!c) throw invalid(`column ${o.name} is not in the table`);
    const k = kindOf(c.type);
    if (!k) throw invalid(`column ${c.name} of type ${c.type} cannot be filtered on`);
    return k;
  };
  const pair = (a: PredicateOperand, b: PredicateOperand, like: boolean): void => {
    const ka = kindOfOperand(a);
    const kb = kindOfOperand(b);
    if (like && ((ka !== undefined && ka !== 'string') || (kb !== undefined && kb !== 'string') || (b.kind === 'constant' && typeof b.value !== 'string'))) {
      throw invalid('LIKE needs a string column and a string pattern');
    }
    if (ka && kb) {
      const numeric = (k: Kind) => k === 'number' || k === 'decimal';
      if (ka !== kb && !(numeric(ka) && numeric(kb))) throw invalid(`cannot compare ${a.kind === 'column' ? a.name : ''} with ${b.kind === 'column' ? b.name : ''}`);
      return;
    }
    const k = ka ?? kb;
    const c = ka ? b : a;
    if (k && c.kind === 'constant' && !constantFits(k, c.value)) {
      const name = ka ? (a as { name: string }).name : (b as { name: string }).name;
      throw invalid(`constant ${JSON.stringify(typeof c.value === 'bigint' ? c.value.toString() : c.value)} does not fit column ${name}`);
    }
  };
  const walk = (p: Predicate): void => {
    switch (p.kind) {
      case 'compare':
        return pair(p.left, p.right, p.op === 'LIKE');
      case 'null':
        kindOfOperand(p.operand);
        return;
      case 'in':
        for (const v of p.values) pair(p.operand, v, false);
        return;
      case 'not':
        return walk(p.operand);
      default:
        for (const x of p.operands) walk(x);
    }
  };
  walk(tree);
  return tree;
}
