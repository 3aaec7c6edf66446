// Storage API filter predicates (a parsed tree, never raw text) rendered as a DuckDB WHERE clause for snapshots.
import type { Predicate, PredicateOperand } from '@odps-ts/odps-client';
import { quoteIdent, quoteLiteral } from './physical-names.js';
import { semanticError } from './sql-error.js';

const COMPARISONS = new Set(['=', '!=', '>', '<', '>=', '<=', 'LIKE']);

/**
 * Only column references the table has (quoted) and typed constants (strings quoted, numbers checked
 * finite) reach DuckDB, so no text of the request is ever spliced into SQL as is: the emulator is a
 * sandbox and a filter must not be a way to run arbitrary SQL.
 */
export function predicateSql(p: Predicate, columns: ReadonlySet<string>): string {
  const operand = (o: PredicateOperand): string => {
    if (o.kind === 'column') {
      const name = o.name.toLowerCase();
      if (!columns.has(name)) throw semanticError(undefined, `column ${o.name} cannot be resolved in the filter predicate`);
      return quoteIdent(name);
    }
    const v = o.value;
    if (typeof v === 'string') return quoteLiteral(v);
    if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
    if (typeof v === 'bigint') return v.toString();
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    throw semanticError(undefined, 'a filter constant must be a string, a finite number or a boolean');
  };
  switch (p.kind) {
    case 'compare':
      if (!COMPARISONS.has(p.op)) throw semanticError(undefined, `unknown filter operator ${String(p.op)}`);
      return `(${operand(p.left)} ${p.op} ${operand(p.right)})`;
    case 'null':
      return `(${operand(p.operand)} IS ${p.negated ? 'NOT ' : ''}NULL)`;
    case 'in':
      return `(${operand(p.operand)} ${p.negated ? 'NOT IN' : 'IN'} (${p.values.map(operand).join(', ')}))`;
    case 'not':
      return `(NOT ${predicateSql(p.operand, columns)})`;
    case 'and':
    case 'or':
      if (p.operands.length === 0) return 'TRUE';
      return `(${p.operands.map((x) => predicateSql(x, columns)).join(p.kind === 'and' ? ' AND ' : ' OR ')})`;
    default:
      throw semanticError(undefined, 'unknown filter predicate node');
  }
}
