// SQLCost task: input bytes, complexity and UDF count of a query, estimated from the tables it reads.
import { tableNotFound } from '../../engine/sql-error.js';
import { ALLOWED_FUNCTIONS } from '../../engine/sql/allowed-functions.js';
import { tokenize, type Token } from '../../engine/sql/tokenizer.js';
import type { UserFunctionLookup } from '../../engine/sql/user-functions.js';
import type { Engine, TableInfo } from '../../engine/types.js';
import { tableStats } from '../table-stats.js';

export interface CostEstimate {
  inputBytes: number;
  complexity: number;
  udfCount: number;
}

/**
 * The estimate: Input = the logical size of every table the query reads (each counted once, no
 * partition pruning); Complexity = 1 per SELECT plus 1 per JOIN; UDF = calls of registered functions
 * that are not built-ins. The service computes these from its plan; only the shape is the same.
 */
export async function estimateCost(engine: Engine, project: string, query: string, schema: string | undefined, functions?: UserFunctionLookup): Promise<CostEstimate> {
  const tokens = tokenize(query).filter((t) => t.kind !== 'ws');
  const cteNames = new Set<string>();
  for (let i = 0; i + 2 < tokens.length; i++) {
    if (isWordToken(tokens[i]) && word(tokens[i + 1]) === 'AS' && tokens[i + 2]!.text === '(') cteNames.add(tokens[i]!.value.toLowerCase());
  }
  const tables = new Map<string, TableInfo>();
  let selects = 0;
  let joins = 0;
  let udfs = 0;
  // The word before each open parenthesis: FROM inside EXTRACT(...) or TRIM(...) names no table.
  const openers: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const w = word(t);
    if (t.text === '(') openers.push(word(tokens[i - 1]));
    if (t.text === ')') openers.pop();
    if (w === 'FROM' && VALUE_FROM.has(openers[openers.length - 1] ?? '')) continue;
    if (w === 'SELECT') selects++;
    if (w === 'JOIN') joins++;
    if (isWordToken(t) && tokens[i + 1]?.text === '(' && !ALLOWED_FUNCTIONS.has(t.value.toLowerCase()) && functions?.(t.value)) udfs++;
    if ((w === 'FROM' || w === 'JOIN' || w === 'TABLE' || w === 'INTO') && isWordToken(tokens[i + 1])) {
      const parts = [tokens[i + 1]!.value];
      let j = i + 2;
      while (tokens[j]?.text === '.' && isWordToken(tokens[j + 1])) {
        parts.push(tokens[j + 1]!.value);
        j += 2;
      }
      if (parts.length === 1 && cteNames.has(parts[0]!.toLowerCase())) continue;
      // INSERT INTO / OVERWRITE TABLE name the output, which is not input.
      if (w === 'INTO' || w === 'TABLE') continue;
      const info = resolve(engine, project, schema, parts, tokens[i + 1]!);
      tables.set(`${info.project}.${info.schema}.${info.name}`.toLowerCase(), info);
    }
  }
  let inputBytes = 0;
  for (const info of tables.values()) inputBytes += (await tableStats(engine, info)).size;
  return { inputBytes, complexity: Math.max(1, selects) + joins, udfCount: udfs };
}

/** The task result text, shaped as the service answers it (Java CostResultParser: string values). */
export function costJson(cost: CostEstimate): string {
  return JSON.stringify({ Cost: { SQL: { Input: String(cost.inputBytes), UDF: String(cost.udfCount), Complexity: cost.complexity.toFixed(1) } } });
}

function resolve(engine: Engine, project: string, schema: string | undefined, parts: string[], at: Token): TableInfo {
  const [p, s, n] = parts.length >= 3 ? [parts[0]!, parts[1]!, parts[2]!] : parts.length === 2 ? [parts[0]!, undefined, parts[1]!] : [project, schema, parts[0]!];
  // `a.t` may name a schema of the current project as well as another project.
  const found = engine.getTable(p, n, s) ?? (parts.length === 2 ? engine.getTable(project, n, parts[0]) : undefined);
  if (!found) throw tableNotFound(at, p, parts.length === 3 ? `${s}.${n}` : n);
  return found;
}

const VALUE_FROM = new Set(['EXTRACT', 'TRIM', 'SUBSTRING']);

function isWordToken(t: Token | undefined): t is Token {
  return !!t && (t.kind === 'word' || t.kind === 'qident');
}

function word(t: Token | undefined): string {
  return t && t.kind === 'word' ? t.value.toUpperCase() : '';
}
