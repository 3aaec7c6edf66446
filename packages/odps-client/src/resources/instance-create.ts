// Submitting SQL: hints (SET statements, schema, defaults), the job XML, 201+Location or a synchronous 200.
import { randomUUID } from 'node:crypto';
import { OdpsArgumentError, OdpsError } from '../errors.js';
import { MAX_XML_BYTES, parseXml } from '../http/xml.js';
import { splitSetStatements } from '../sql/hints.js';
import { bindSqlParams, SqlFragment } from '../sql/params.js';
import type { OdpsContext, ProjectScoped } from './context.js';
import { Instance } from './instance.js';
import { buildSqlJobXml, parseTaskResults } from './instance-xml.js';
import { TIME_ZONE_SETTING } from './time-zone.js';

export interface RunSqlOptions extends ProjectScoped {
  /** SQL settings (e.g. `{ 'odps.sql.type.system.odps2': 'true' }`); win over SET statements and defaults. */
  hints?: Record<string, string | number | boolean>;
  /** Job priority, 0 (highest) .. 9 (default). */
  priority?: number;
  /** Job name. */
  name?: string;
  /**
   * Caller's unique job id. Only with a Guid is a failed submission retried, because the server can then
   * de-duplicate it [UNVERIFIED: the Guid semantics are not documented; without it we never resubmit].
   */
  guid?: string;
  /** Task name (default `AnonymousSQLTask`). */
  taskName?: string;
  /** Quota nickname (hint `odps.task.wlm.quota`). */
  quota?: string;
  /** Schema the SQL runs in (three-tier projects); default: the client's schema. */
  schema?: string;
  /** Values for `:name` placeholders in the SQL text, rendered as typed, escaped literals. */
  params?: Readonly<Record<string, unknown>>;
  /**
   * Zone in which Date/Timestamp parameters are written as DATETIME/TIMESTAMP literals; default the
   * `odps.sql.timezone` hint, else the client's `timeZone`, else UTC.
   */
  paramTimeZone?: string;
}

const DEFAULT_TASK = 'AnonymousSQLTask';

export function sqlSettings(ctx: OdpsContext, sqlHints: Record<string, string>, options: RunSqlOptions): Record<string, string> {
  const schema = options.schema ?? ctx.schema;
  const settings: Record<string, string> = { ...ctx.options.defaultHints };
  if (schema) {
    settings['odps.namespace.schema'] = 'true';
    settings['odps.sql.allow.namespace.schema'] = 'true';
    settings['odps.default.schema'] = schema;
  }
  if (options.quota) settings['odps.task.wlm.quota'] = options.quota;
  if (ctx.options.timeZone) settings[TIME_ZONE_SETTING] = ctx.options.timeZone;
  Object.assign(settings, sqlHints);
  for (const [k, v] of Object.entries(options.hints ?? {})) settings[k] = String(v);
  return settings;
}

/** PyODPS `run_sql`: submit, return the Instance without waiting. `taskType` SQLCost: PyODPS `execute_sql_cost`'s task. */
export async function runSql(ctx: OdpsContext, statement: string | SqlFragment, options: RunSqlOptions = {}, taskType: 'SQL' | 'SQLCost' = 'SQL'): Promise<Instance> {
  const project = options.project ?? ctx.project;
  const { sql, hints } = splitSetStatements(statementText(ctx, statement, options));
  const taskName = options.taskName ?? (taskType === 'SQL' ? DEFAULT_TASK : 'AnonymousSQLCostTask');
  const settings = sqlSettings(ctx, hints, options);
  const session = settings[TIME_ZONE_SETTING] ? { timeZone: settings[TIME_ZONE_SETTING] } : {};
  const body = buildSqlJobXml({
    taskType,
    sql, settings, uuid: randomUUID(), taskName, priority: options.priority ?? 9,
    ...(options.name ? { name: options.name } : {}), ...(options.guid ? { guid: options.guid } : {}),
  });
  const res = await ctx.transport.request({
    method: 'POST', path: ['projects', project, 'instances'], headers: { 'Content-Type': 'application/xml' }, body,
    idempotent: options.guid !== undefined, retryOnConflict: true, signal: options.signal,
  });
  const location = res.headers['location'];
  const text = await res.text({ maxBytes: MAX_XML_BYTES });
  const idFromLocation = location ? location.replace(/\/+$/, '').split('/').pop() : undefined;
  if (res.status === 200 && text.trim() !== '') {
    const results = parseTaskResults(parseXml(text));
    return new Instance(ctx, idFromLocation ?? '', { project, taskName, syncResults: results, ...session });
  }
  if (!idFromLocation) throw new OdpsError('instance created but the answer has no Location header', { code: 'MissingLocation', status: res.status, ...(res.requestId ? { requestId: res.requestId } : {}) });
  return new Instance(ctx, idFromLocation, { project, taskName, ...session });
}

/** The SQL text with its parameters bound (tagged-template values or `options.params`). */
function statementText(ctx: OdpsContext, statement: string | SqlFragment, options: RunSqlOptions): string {
  const hinted = options.hints?.['odps.sql.timezone'];
  const timeZone = options.paramTimeZone ?? (hinted === undefined ? undefined : String(hinted)) ?? ctx.options.timeZone;
  const render = timeZone ? { timeZone } : {};
  if (statement instanceof SqlFragment) {
    if (options.params) throw new OdpsArgumentError('params cannot be combined with a sql`…` statement; put the values in the template');
    return statement.render(render);
  }
  if (typeof statement !== 'string') throw new OdpsArgumentError('SQL must be a string or a sql`…` statement');
  return options.params ? bindSqlParams(statement, options.params, render) : statement;
}
