// MaxCompute query text -> DuckDB query text: identifiers, literals, table references, casts and function names.
import { parseType } from '@odps-ts/odps-client';
import { functionNotFound, semanticError } from '../sql-error.js';
import { quoteIdent, quoteLiteral } from '../physical-names.js';
import { duckTypeSql } from '../type-mapping.js';
import { isOp, isWord } from './tokenizer.js';
import { matchParen, splitArgs } from './token-groups.js';
import type { Token } from './tokenizer.js';
import { ALLOWED_FUNCTIONS, PAREN_KEYWORDS } from './allowed-functions.js';
import { rewriteFunction } from './functions.js';
import { expandSqlFunction, MAX_EXPANSION_DEPTH, udfNotSupported, type UserFunction } from './user-functions.js';

export interface TableResolver {
  /** Quoted DuckDB name for an ODPS table reference; throws a table-not-found SqlError. */
  resolve(parts: string[], token: Token): string;
  /** Largest partition spec value of a table's first key (MAX_PT). */
  maxPartition?(parts: string[], token: Token): string | undefined;
  /** A function registered in the project (SQL functions expand inline; UDF classes are refused). */
  userFunction?(name: string): UserFunction | undefined;
}

interface Frame {
  fromClause: boolean;
  expectTable: boolean;
}

const CLAUSE_END = new Set([
  'WHERE', 'GROUP', 'ORDER', 'HAVING', 'LIMIT', 'UNION', 'EXCEPT', 'INTERSECT', 'WINDOW', 'QUALIFY', 'SELECT',
  'SORT', 'DISTRIBUTE', 'CLUSTER', 'OFFSET',
]);

/**
 * Words DuckDB reserves that MaxCompute does not: as bare words they are column/table names in
 * MaxCompute SQL, so they are quoted (e.g. a column named `at`).
 */
const DUCK_ONLY_KEYWORDS = new Set([
  'at', 'anti', 'asof', 'positional', 'semi', 'columns', 'collation', 'freeze', 'verbose', 'concurrently', 'glob',
  'unpack', 'lambda', 'pivot', 'pivot_longer', 'pivot_wider', 'unpivot', 'summarize', 'variadic', 'returning',
  'placing', 'analyse', 'analyze', 'do', 'symmetric', 'asymmetric', 'initially', 'deferrable', 'only', 'setof',
  'inout', 'out', 'treat', 'national', 'nchar', 'none', 'overlay', 'authorization', 'generated', 'notnull',
]);

const SUFFIX_TYPES: Record<string, string> = {
  L: 'BIGINT', Y: 'TINYINT', S: 'SMALLINT', BD: 'DECIMAL(38,18)', D: 'DOUBLE', F: 'FLOAT',
};

/**
 * Unsuffixed 1.5 is DOUBLE in every MaxCompute type edition (DECIMAL needs BD) while DuckDB reads it as
 * DECIMAL. Literals with more than 15 significant digits stay DECIMAL, so they still fill a DECIMAL
 * column exactly (a double would round them) - a deliberate difference. 1e3 is DOUBLE in DuckDB already.
 */
function doubleExact(text: string): boolean {
  if (/[eE]/.test(text)) return false;
  return text.replace('.', '').replace(/^0+/, '').replace(/0+$/, '').length <= 15;
}

/** Index of the next non-ws token at or after i, or -1. */
export function nextSolid(tokens: Token[], i: number): number {
  for (let k = i; k < tokens.length; k++) if (tokens[k]!.kind !== 'ws') return k;
  return -1;
}

function prevSolid(tokens: Token[], i: number): Token | undefined {
  for (let k = i; k >= 0; k--) if (tokens[k]!.kind !== 'ws') return tokens[k];
  return undefined;
}


function matchBracket(tokens: Token[], open: number): number {
  let depth = 0;
  for (let k = open; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind !== 'op') continue;
    if (t.text === '[') depth++;
    else if (t.text === ']') {
      depth--;
      if (depth === 0) return k;
    }
  }
  return -1;
}


/**
 * DuckDB system views an unqualified name can reach (duckdb_tables, sqlite_master, pg_tables...): a CTE
 * may not take such a name, so no reference the translator passes through as a CTE can fall back to one.
 */
const SYSTEM_NAME = /^(duckdb_|pragma_|sqlite_|pg_|information_schema$)/i;

/**
 * Words that begin a DuckDB statement usable as a subquery (`(DESCRIBE t)`, `(SHOW ALL TABLES)`,
 * `(TABLE t)`, `(SUMMARIZE t)`, `(PIVOT ...)`), which would read the emulator's internal schemas.
 */
const STATEMENT_WORDS = new Set(['describe', 'desc', 'show', 'summarize', 'table', 'pivot', 'unpivot', 'pivot_wider', 'pivot_longer']);

/** Words after which a new query can start (`UNION ALL SHOW TABLES`). */
const QUERY_START_AFTER = new Set(['union', 'all', 'distinct', 'intersect', 'except', 'minus', 'as', 'select', 'from', 'join', 'exists', 'in']);

/** One WITH list entry: its name token and from which token index on it can be referenced. */
interface CteDecl {
  name: string;
  nameAt: number;
  visibleAt: number;
}

/**
 * The CTE declarations of the WITH clause at `w` (`WITH [RECURSIVE] n [(cols)] AS [NOT] [MATERIALIZED] (...)`,
 * comma separated). A name is visible from the end of its body on (from its name when RECURSIVE), so a
 * body never sees a later sibling: DuckDB would resolve that name in its catalog instead.
 */
function withDeclarations(tokens: Token[], w: number, to: number): CteDecl[] {
  const decls: CteDecl[] = [];
  let j = nextSolid(tokens, w + 1);
  const recursive = j >= 0 && isWord(tokens[j], 'RECURSIVE');
  if (recursive) j = nextSolid(tokens, j + 1);
  while (j >= 0 && j < to && (tokens[j]!.kind === 'word' || tokens[j]!.kind === 'qident')) {
    const nameAt = j;
    let n = nextSolid(tokens, j + 1);
    if (n >= 0 && isOp(tokens[n], '(')) {
      const cols = matchParen(tokens, n);
      if (cols < 0) break;
      n = nextSolid(tokens, cols + 1);
    }
    if (n < 0 || !isWord(tokens[n], 'AS')) break;
    let b = nextSolid(tokens, n + 1);
    if (b >= 0 && isWord(tokens[b], 'NOT')) b = nextSolid(tokens, b + 1);
    if (b >= 0 && isWord(tokens[b], 'MATERIALIZED')) b = nextSolid(tokens, b + 1);
    if (b < 0 || !isOp(tokens[b], '(')) break;
    const close = matchParen(tokens, b);
    if (close < 0 || close >= to) break;
    const name = tokens[nameAt]!.value;
    if (SYSTEM_NAME.test(name)) throw semanticError(tokens[nameAt], `'${name}' cannot be used as a WITH query name`);
    decls.push({ name: name.toLowerCase(), nameAt, visibleAt: recursive ? nameAt : close + 1 });
    const comma = nextSolid(tokens, close + 1);
    if (comma < 0 || comma >= to || !isOp(tokens[comma], ',')) break;
    j = nextSolid(tokens, comma + 1);
  }
  return decls;
}

export class QueryTranslator {
  constructor(
    private readonly tokens: Token[],
    private readonly resolver: TableResolver,
    /** How many SQL-function expansions enclose these tokens (bounds recursive definitions). */
    private readonly depth = 0,
  ) {}

  translate(): string {
    return this.range(0, this.tokens.length, new Set());
  }

  /** Translate tokens [from, to) as one parenthesis level; `outer`: CTE names visible from enclosing levels. */
  range(from: number, to: number, outer: ReadonlySet<string>): string {
    const toks = this.tokens;
    const out: string[] = [];
    const frame: Frame = { fromClause: false, expectTable: false };
    const scope = new Set(outer);
    const pending: CteDecl[] = [];
    const cteNameAt = new Set<number>();
    let k = from;
    while (k < to) {
      while (pending.length > 0 && pending[0]!.visibleAt <= k) scope.add(pending.shift()!.name);
      const t = toks[k]!;
      if (t.kind === 'ws') {
        out.push(/\n/.test(t.text) && !t.text.startsWith('--') && !t.text.startsWith('/*') ? t.text : ' ');
        k++;
        continue;
      }
      if (t.kind === 'op') {
        if (t.text === '(') {
          const close = matchParen(toks, k);
          if (close < 0 || close >= to) throw semanticError(t, "unbalanced '('");
          frame.expectTable = false;
          out.push('(', this.range(k + 1, close, scope), ')');
          k = close + 1;
          continue;
        }
        if (t.text === '[') {
          const close = matchBracket(toks, k);
          if (close < 0 || close >= to) throw semanticError(t, "unbalanced '['");
          const prev = prevSolid(toks, k - 1);
          const subscript = !!prev && (prev.kind === 'word' || prev.kind === 'qident' || isOp(prev, ')') || isOp(prev, ']'));
          const inner = this.range(k + 1, close, scope).trim();
          const solid = toks.slice(k + 1, close).filter((x) => x.kind !== 'ws');
          const isKey = solid.length === 1 && solid[0]!.kind === 'string';
          // MaxCompute arrays are 0-based, DuckDB lists 1-based; a string subscript is a map key.
          out.push(subscript && !isKey ? `[(${inner}) + 1]` : `[${inner}]`);
          k = close + 1;
          continue;
        }
        if (t.text === ',' && frame.fromClause) frame.expectTable = true;
        out.push(t.text === '==' ? '=' : t.text === '&&' ? ' AND ' : t.text);
        k++;
        continue;
      }
      if (t.kind === 'string') {
        // DuckDB reads a string in table position as a file path (a replacement scan).
        if (frame.expectTable) throw semanticError(t, `a table name is expected, not the string ${quoteLiteral(t.value)}`);
        out.push(quoteLiteral(t.value));
        k++;
        continue;
      }
      if (t.kind === 'number') {
        const type = t.suffix ? SUFFIX_TYPES[t.suffix] : /\./.test(t.value) && doubleExact(t.value) ? 'DOUBLE' : undefined;
        out.push(type ? `CAST(${t.value} AS ${type})` : t.value);
        k++;
        continue;
      }
      // word or qident
      const upper = t.kind === 'word' ? t.value.toUpperCase() : '';
      const after = nextSolid(toks, k + 1);
      if (cteNameAt.has(k)) {
        out.push(t.kind === 'qident' ? quoteIdent(t.value) : t.text);
        k++;
        continue;
      }
      // A `quoted` name before '(' is a call in DuckDB too, so it passes the same function check.
      const callsFunction = after >= 0 && after < to && isOp(toks[after], '(');
      if (frame.expectTable) {
        frame.expectTable = false;
        if (!callsFunction && upper !== 'LATERAL' && upper !== 'VALUES') {
          k = this.tableRef(k, to, out, scope);
          continue;
        }
      }
      if (upper === 'WITH') {
        const decls = withDeclarations(toks, k, to);
        for (const d of decls) cteNameAt.add(d.nameAt);
        pending.push(...decls);
        pending.sort((a, b) => a.visibleAt - b.visibleAt);
      }
      if (t.kind === 'word' && STATEMENT_WORDS.has(t.value.toLowerCase())) {
        const prev = prevSolid(toks, k - 1);
        const startsQuery = k === from || !prev || isOp(prev, '(') || (prev.kind === 'word' && QUERY_START_AFTER.has(prev.value.toLowerCase()));
        if (startsQuery) throw semanticError(t, `${t.value.toUpperCase()} cannot be used inside a query`);
        if (upper !== 'DESC') {
          out.push(quoteIdent(t.value));
          k++;
          continue;
        }
      }
      if (t.kind === 'qident' && !callsFunction) {
        out.push(quoteIdent(t.value));
        k++;
        continue;
      }
      if (upper === 'FROM' || upper === 'JOIN') {
        if (upper === 'FROM') frame.fromClause = true;
        frame.expectTable = true;
        out.push(t.text);
        k++;
        continue;
      }
      if (CLAUSE_END.has(upper)) frame.fromClause = false;
      if (upper === 'LATERAL' && isWord(toks[after], 'VIEW')) {
        throw semanticError(t, 'LATERAL VIEW is not supported by the emulator');
      }
      if ((upper === 'DISTRIBUTE' || upper === 'CLUSTER') && isWord(toks[after], 'BY')) {
        throw semanticError(t, `${upper} BY is not supported by the emulator`);
      }
      if (upper === 'SORT' && isWord(toks[after], 'BY')) {
        out.push('ORDER');
        k++;
        continue;
      }
      if (upper === 'LEFT' && isWord(toks[after], 'SEMI', 'ANTI')) {
        // MaxCompute LEFT SEMI/ANTI JOIN is DuckDB's SEMI/ANTI JOIN.
        k = after;
        continue;
      }
      if (upper === 'RLIKE' || upper === 'REGEXP') {
        // Partial-match regex; DuckDB's ~ matches the whole string, so the pattern is wrapped.
        const pat = toks[after];
        if (!pat || pat.kind !== 'string') throw semanticError(t, `${upper} needs a string literal pattern in the emulator`);
        out.push(`~ ${quoteLiteral(`(?s).*(?:${pat.value}).*`)}`);
        k = after + 1;
        continue;
      }
      if (upper === 'DIV') {
        out.push('//');
        k++;
        continue;
      }
      if (callsFunction) {
        const close = matchParen(toks, after);
        if (close < 0 || close > to) throw semanticError(t, "unbalanced '('");
        out.push(this.functionCall(t, after, close, scope));
        k = close + 1;
        continue;
      }
      const lower = t.value.toLowerCase();
      if (DUCK_ONLY_KEYWORDS.has(lower) && !((lower === 'semi' || lower === 'anti') && isWord(toks[after], 'JOIN'))) {
        out.push(quoteIdent(t.value));
      } else out.push(t.text);
      k++;
    }
    return out.join('');
  }

  /** A table reference at k: dotted name, resolved through the catalog. Returns the next index. */
  private tableRef(k: number, to: number, out: string[], scope: ReadonlySet<string>): number {
    const toks = this.tokens;
    const first = toks[k]!;
    const parts = [first.value];
    let j = k + 1;
    for (;;) {
      const dot = nextSolid(toks, j);
      if (dot < 0 || dot >= to || !isOp(toks[dot], '.')) break;
      const name = nextSolid(toks, dot + 1);
      if (name < 0 || name >= to || (toks[name]!.kind !== 'word' && toks[name]!.kind !== 'qident')) break;
      parts.push(toks[name]!.value);
      j = name + 1;
    }
    if (parts.length === 1 && scope.has(parts[0]!.toLowerCase())) out.push(quoteIdent(parts[0]!));
    else out.push(this.resolver.resolve(parts, first));
    return j;
  }

  private functionCall(nameTok: Token, open: number, close: number, scope: ReadonlySet<string>): string {
    const name = nameTok.value.toLowerCase();
    const toks = this.tokens;
    const keyword = nameTok.kind === 'word' && PAREN_KEYWORDS.has(name);
    if (!keyword && !ALLOWED_FUNCTIONS.has(name)) return this.userCall(nameTok, open, close, scope);
    if (name === 'cast') return this.cast(nameTok, open, close, scope);
    const rawArgs = splitArgs(toks, open + 1, close);
    if (name === 'max_pt' && this.resolver.maxPartition) {
      const lit = rawArgs[0]?.find((x) => x.kind !== 'ws');
      if (!lit || lit.kind !== 'string') throw semanticError(nameTok, 'MAX_PT expects a table name literal');
      const value = this.resolver.maxPartition(lit.value.split('.'), lit);
      return value === undefined ? 'CAST(NULL AS VARCHAR)' : quoteLiteral(value);
    }
    const args = rawArgs.map((a) => {
      if (a.length === 0) return '';
      return new QueryTranslator(a, this.resolver, this.depth).range(0, a.length, scope).trim();
    });
    const literal = rawArgs.map((a) => {
      const solid = a.filter((x) => x.kind !== 'ws');
      return solid.length === 1 && solid[0]!.kind === 'string' ? solid[0]!.value : undefined;
    });
    const rewritten = rewriteFunction(name, args, literal, nameTok);
    if (rewritten !== undefined) return rewritten;
    return `${keyword ? nameTok.text : name}(${args.join(', ')})`;
  }

  /** A call of a registered function: a SQL function's body with the arguments in place of its parameters. */
  private userCall(nameTok: Token, open: number, close: number, scope: ReadonlySet<string>): string {
    const fn = this.resolver.userFunction?.(nameTok.value);
    if (!fn) throw functionNotFound(nameTok, nameTok.value);
    if (!fn.sql) throw udfNotSupported(nameTok, fn);
    if (this.depth >= MAX_EXPANSION_DEPTH) throw semanticError(nameTok, `function ${fn.name} nests SQL functions deeper than ${MAX_EXPANSION_DEPTH} (a recursive definition?)`);
    const body = expandSqlFunction({ ...fn, sql: fn.sql }, splitArgs(this.tokens, open + 1, close), nameTok);
    return `(${new QueryTranslator(body, this.resolver, this.depth + 1).range(0, body.length, scope).trim()})`;
  }

  /** CAST(expr AS odps_type): the type is parsed as an ODPS type and mapped to its DuckDB storage type. */
  private cast(nameTok: Token, open: number, close: number, scope: ReadonlySet<string>): string {
    const toks = this.tokens;
    let depth = 0;
    let asAt = -1;
    for (let k = open + 1; k < close; k++) {
      const t = toks[k]!;
      if (t.kind === 'op' && t.text === '(') depth++;
      else if (t.kind === 'op' && t.text === ')') depth--;
      else if (depth === 0 && isWord(t, 'AS')) asAt = k;
    }
    if (asAt < 0) throw semanticError(nameTok, 'CAST expects "expr AS type"');
    const exprToks = toks.slice(open + 1, asAt);
    const expr = new QueryTranslator(exprToks, this.resolver, this.depth).range(0, exprToks.length, scope).trim();
    const typeText = toks
      .slice(asAt + 1, close)
      .map((t) => t.text)
      .join('')
      .trim();
    let duckType: string;
    try {
      duckType = duckTypeSql(parseType(typeText));
    } catch {
      throw semanticError(toks[asAt + 1] ?? nameTok, `invalid type '${typeText}' in CAST`);
    }
    return `CAST(${expr} AS ${duckType})`;
  }
}

/** Translate a MaxCompute query/expression token list into DuckDB SQL. */
export function translateQuery(tokens: Token[], resolver: TableResolver): string {
  return new QueryTranslator(tokens, resolver).translate().trim();
}
