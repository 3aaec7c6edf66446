// Registered (user) functions as SQL sees them: SQL functions are expanded inline, UDF classes are refused.
import { semanticError, type SourcePos } from '../sql-error.js';
import { matchParen, splitArgs } from './token-groups.js';
import { tokenize, type Token } from './tokenizer.js';

/** A function registered in a project (`registration/functions`), as the translator needs it. */
export interface UserFunction {
  name: string;
  /** Java/Python class the service would load (absent for SQL functions). */
  classType?: string;
  /** Parsed `CREATE SQL FUNCTION` definition: callable in the emulator. */
  sql?: SqlFunctionDefinition;
}

export interface SqlFunctionDefinition {
  /** Parameter names without `@`, lower case, in order. */
  params: string[];
  /** The body expression's tokens (the engine's own tokenizer output). @internal */
  body: Token[];
}

/** Looks a registered function up by (any-case) name. */
export type UserFunctionLookup = (name: string) => UserFunction | undefined;

const HEAD_RE = /^\s*create\s+(?:or\s+replace\s+)?sql\s+function\s+(?:if\s+not\s+exists\s+)?([A-Za-z_][\w.]*|`[^`]+`)\s*\(/i;
// Deep or self-referencing definitions end here instead of expanding forever.
export const MAX_EXPANSION_DEPTH = 8;

/**
 * Parse `CREATE SQL FUNCTION name(@a TYPE, ...) [RETURNS TYPE] AS expr` (the expression form of
 * MaxCompute SQL functions). Throws an Error naming the problem; `BEGIN ... END` bodies are refused.
 */
export function parseSqlFunctionDefinition(text: string): SqlFunctionDefinition & { name: string } {
  const head = HEAD_RE.exec(text);
  if (!head) throw new Error("a SQL function definition must read 'CREATE SQL FUNCTION name(@p TYPE, ...) AS expression'");
  const tokens = tokenize(text);
  const open = tokens.findIndex((t) => t.start === head[0].length - 1);
  const close = matchParen(tokens, open);
  if (open < 0 || close < 0) throw new Error('unbalanced parameter list in the SQL function definition');
  const params = splitArgs(tokens, open + 1, close)
    .map((arg) => arg.filter((t) => t.kind !== 'ws'))
    .filter((arg) => arg.length > 0)
    .map((arg) => {
      const [at, name, type] = arg;
      if (!at || at.kind !== 'op' || at.text !== '@' || !name || name.kind !== 'word' || !type) {
        throw new Error(`parameter '${arg.map((t) => t.text).join('')}' must read '@name TYPE'`);
      }
      return name.value.toLowerCase();
    });
  if (new Set(params).size !== params.length) throw new Error('duplicate parameter name in the SQL function definition');
  let k = close + 1;
  const solid = (): Token | undefined => {
    while (k < tokens.length && tokens[k]!.kind === 'ws') k++;
    return tokens[k];
  };
  if (solid()?.value.toUpperCase() === 'RETURNS') {
    k++;
    solid();
    k++;
    // A parameterised return type such as DECIMAL(10,2).
    if (solid()?.text === '(') k = matchParen(tokens, k) + 1;
  }
  if (solid()?.value.toUpperCase() !== 'AS') throw new Error("'AS expression' is missing in the SQL function definition");
  k++;
  let body = tokens.slice(k);
  while (body.length > 0 && (body[body.length - 1]!.kind === 'ws' || body[body.length - 1]!.text === ';')) body = body.slice(0, -1);
  const first = body.find((t) => t.kind !== 'ws');
  if (!first) throw new Error('the SQL function body is empty');
  if (first.value.toUpperCase() === 'BEGIN') throw new Error('BEGIN ... END function bodies are not supported by the emulator; use the expression form');
  for (let i = 0; i < body.length; i++) {
    if (body[i]!.text !== '@') continue;
    const p = body[i + 1];
    if (!p || p.kind !== 'word' || !params.includes(p.value.toLowerCase())) {
      throw new Error(`the SQL function body uses @${p?.text ?? ''}, which is not one of its parameters`);
    }
  }
  const name = head[1]!.replace(/`/g, '');
  return { name: name.slice(name.lastIndexOf('.') + 1), params, body };
}

/** The body tokens with each `@param` replaced by the parenthesised argument tokens. */
export function expandSqlFunction(fn: UserFunction & { sql: SqlFunctionDefinition }, args: Token[][], pos: SourcePos): Token[] {
  const given = args.filter((a) => a.some((t) => t.kind !== 'ws'));
  if (given.length !== fn.sql.params.length) {
    throw semanticError(pos, `function ${fn.name} expects ${fn.sql.params.length} argument(s), got ${given.length}`);
  }
  const out: Token[] = [];
  const body = fn.sql.body;
  for (let i = 0; i < body.length; i++) {
    const t = body[i]!;
    if (t.text === '@' && body[i + 1]?.kind === 'word') {
      const index = fn.sql.params.indexOf(body[i + 1]!.value.toLowerCase());
      out.push(paren('(', t), ...given[index]!, paren(')', t));
      i++;
    } else out.push(t);
  }
  return out;
}

/** The error a call of a Java/Python UDF gets: the emulator runs no user code. */
export function udfNotSupported(pos: SourcePos, fn: UserFunction): Error {
  return semanticError(pos, `function ${fn.name} is a UDF (class ${fn.classType ?? 'unknown'}); the emulator cannot run Java or Python UDFs, only SQL functions`);
}

function paren(text: '(' | ')', at: Token): Token {
  return { kind: 'op', text, value: text, start: at.start, end: at.start, line: at.line, col: at.col };
}
