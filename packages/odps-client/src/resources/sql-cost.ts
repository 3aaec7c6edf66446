// SQL cost estimate (`SQLCost` task): input bytes, complexity and UDF count, without running the query.
import { OdpsError } from '../errors.js';
import type { SqlFragment } from '../sql/params.js';
import type { OdpsContext } from './context.js';
import { runSql, type RunSqlOptions } from './instance-create.js';
import type { WaitOptions } from './instance-wait.js';

export interface SqlCost {
  /** Bytes the query would read (`Input`). */
  inputBytes: number;
  /** The service's complexity factor (`Complexity`, e.g. 1.0). */
  complexity: number;
  /** Number of UDFs the query calls (`UDF`). */
  udfCount: number;
  /** The task result as answered: `{"Cost":{"SQL":{"Input":"…","UDF":"…","Complexity":"…"}}}`. */
  raw: unknown;
}

export type EstimateSqlCostOptions = RunSqlOptions & WaitOptions;

/** PyODPS `execute_sql_cost`: submit a `SQLCost` task, wait for it, read the cost JSON of its result. */
export async function estimateSqlCost(ctx: OdpsContext, sql: string | SqlFragment, options: EstimateSqlCostOptions = {}): Promise<SqlCost> {
  const instance = await runSql(ctx, sql, options, 'SQLCost');
  const wait: WaitOptions = {};
  for (const k of ['timeout', 'onProgress', 'pollInterval', 'signal'] as const) if (options[k] !== undefined) Object.assign(wait, { [k]: options[k] });
  await instance.waitForSuccess(wait);
  const [task] = await instance.taskResults(options.signal ? { signal: options.signal } : {});
  return parseSqlCost(task?.text ?? '', instance.id);
}

/** Parse the cost JSON (PyODPS Instance.get_sql_task_cost, Java CostResultParser: values are strings). */
export function parseSqlCost(text: string, instanceId = ''): SqlCost {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw badCost(`is not JSON: ${JSON.stringify(text.slice(0, 200))}`, instanceId);
  }
  const sql = (raw as { Cost?: { SQL?: Record<string, unknown> } } | null)?.Cost?.SQL;
  if (!sql || typeof sql !== 'object') throw badCost('has no Cost.SQL object', instanceId);
  return { inputBytes: num(sql['Input'], 'Input', instanceId), complexity: num(sql['Complexity'], 'Complexity', instanceId), udfCount: num(sql['UDF'], 'UDF', instanceId), raw };
}

function num(v: unknown, key: string, instanceId: string): number {
  if (v === undefined || v === null || v === '') return 0;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n)) throw badCost(`has a non-numeric ${key}: ${JSON.stringify(v)}`, instanceId);
  return n;
}

function badCost(what: string, instanceId: string): OdpsError {
  return new OdpsError(`SQL cost result of instance ${instanceId} ${what}`, { code: 'InvalidCostResult' });
}
