// One instance (job): status, task statuses, waiting, results, summaries, progress, stop, logview.
import { OdpsError } from '../errors.js';
import { buildXml, childText, MAX_XML_BYTES, xmlChild } from '../http/xml.js';
import { sqlErrorFromTask, sqlResultFromTask, type Row, type SqlResult } from '../sql/result.js';
import type { CallOptions, OdpsContext } from './context.js';
import { waitForTermination, type InstanceProgress, type WaitOptions } from './instance-wait.js';
import { parseProgress, parseTaskResults, parseTaskStatuses, type InstanceStatus, type Stage, type TaskResult, type TaskStatus } from './instance-xml.js';
import { fetchSource, fetchTaskQuota, taskCostFromSummary, type InstanceSource, type TaskCost } from './instance-info.js';
import { logviewUrl, type LogviewOptions } from './logview.js';
import { parseQueueingInfo, parseQueueingJson, type InstanceQueueingInfo } from './queueing-info.js';
import { parseTime, requestXml } from './request.js';
import { dataTimeZone } from './time-zone.js';
import type { RecordBatch } from 'apache-arrow';
import { openInstanceArrowReader, openInstanceReader, type InstanceArrowReaderOptions, type InstanceReaderOptions, type InstanceRowReader } from '../tunnel/instance/instance-reader.js';

/** What the client knows about an instance when it makes the Instance object (normally set by `odps.instances`). */
export interface InstanceInit {
  project: string;
  /** Name of the (single) task when we created it. */
  taskName?: string;
  /** Results answered synchronously at creation (200 with body): the instance is already Terminated. */
  syncResults?: TaskResult[];
  owner?: string;
  startTime?: Date;
  endTime?: Date;
  status?: InstanceStatus;
  /** `odps.sql.timezone` the instance was submitted with (the zone of its DATETIME result text). */
  timeZone?: string;
}

export interface ResultOptions extends CallOptions {
  /** Task whose result to read (default: the instance's only/first task). */
  taskName?: string;
  /** STRING values as Uint8Array (raw bytes, for non-UTF-8 data). */
  binaryStrings?: boolean;
  /**
   * IANA zone the DATETIME text is in. Default: the `odps.sql.timezone` the instance was submitted
   * with, else the project's `odps.sql.timezone` property (looked up once), else the client's
   * `timeZone`, else UTC.
   */
  timeZone?: string;
}

/**
 * One job (PyODPS `Instance`), usually from `odps.runSql()` / `odps.executeSql()` or
 * `odps.instances.get(id)`: status, waiting, results (inline `?result` or the instance tunnel),
 * progress, logview and stop.
 */
export class Instance {
  /** Instance id as the service assigned it. */
  readonly id: string;
  /** Project the instance runs in. */
  readonly project: string;
  /** Account that submitted it, when known (from listing or creation). */
  owner?: string;
  /** When the instance started, when known. */
  startTime?: Date;
  /** When the instance ended, when known (terminated instances only). */
  endTime?: Date;
  /** Last status seen (from listing or a status call). */
  lastStatus?: InstanceStatus;
  private taskName?: string;
  private syncResults?: TaskResult[];
  private cachedResults?: TaskResult[];
  private readonly timeZone?: string;

  /** `context`: the client this instance belongs to (the instance tunnel builds on it). */
  constructor(readonly context: OdpsContext, id: string, init: InstanceInit) {
    this.id = id;
    this.project = init.project;
    if (init.taskName) this.taskName = init.taskName;
    if (init.syncResults) {
      this.syncResults = init.syncResults;
      this.lastStatus = 'Terminated';
    }
    if (init.owner) this.owner = init.owner;
    if (init.startTime) this.startTime = init.startTime;
    if (init.endTime) this.endTime = init.endTime;
    if (init.status) this.lastStatus = init.status;
    if (init.timeZone) this.timeZone = init.timeZone;
  }

  /** Whether the server answered the job synchronously at creation. */
  get isSynchronous(): boolean {
    return this.syncResults !== undefined;
  }

  private path(): string[] {
    return ['projects', this.project, 'instances', this.id];
  }

  /** Instance status; `blocking` asks the server to hold the answer until it changes (long poll). */
  async status(options: CallOptions & { blocking?: boolean } = {}): Promise<InstanceStatus> {
    if (this.syncResults) return 'Terminated';
    const { doc, headers } = await requestXml(this.context, { method: 'GET', path: this.path(), query: { instancestatus: options.blocking ? null : undefined }, signal: options.signal });
    const status = (childText(xmlChild(doc, 'Instance'), 'Status') ?? '') as InstanceStatus;
    this.lastStatus = status;
    if (headers['x-odps-owner']) this.owner = headers['x-odps-owner'];
    const st = parseTime(headers['x-odps-start-time']);
    if (st) this.startTime = st;
    const et = parseTime(headers['x-odps-end-time']);
    if (et) this.endTime = et;
    return status;
  }

  /** True once the instance has ended, whatever the outcome (PyODPS `is_terminated`). */
  async isTerminated(options: CallOptions = {}): Promise<boolean> {
    return (await this.status(options)) === 'Terminated';
  }

  /** Status of each task (`?taskstatus`). */
  async taskStatuses(options: CallOptions = {}): Promise<TaskStatus[]> {
    if (this.syncResults) return this.syncResults.map((t) => ({ name: t.name, status: t.status ?? 'Success', ...(t.type ? { type: t.type } : {}) }));
    const { doc } = await requestXml(this.context, { method: 'GET', path: this.path(), query: { taskstatus: null }, signal: options.signal });
    return parseTaskStatuses(doc);
  }

  /** Terminated and every task succeeded. */
  async isSuccessful(options: CallOptions = {}): Promise<boolean> {
    if (!(await this.isTerminated(options))) return false;
    return (await this.taskStatuses(options)).every((t) => t.status === 'Success');
  }

  /** Raw task results (`?result`): CSV text or error text per task. */
  async taskResults(options: CallOptions = {}): Promise<TaskResult[]> {
    if (this.syncResults) return this.syncResults;
    if (this.cachedResults) return this.cachedResults;
    const { doc } = await requestXml(this.context, { method: 'GET', path: this.path(), query: { result: null }, signal: options.signal });
    const results = parseTaskResults(doc);
    if (this.lastStatus === 'Terminated') this.cachedResults = results;
    return results;
  }

  /** Stage progress of one task (`?instanceprogress`). */
  async taskProgress(taskName?: string, options: CallOptions = {}): Promise<Stage[]> {
    const name = taskName ?? (await this.resolveTaskName(options));
    const { doc } = await requestXml(this.context, { method: 'GET', path: this.path(), query: { instanceprogress: name, taskname: name }, signal: options.signal });
    return parseProgress(doc);
  }

  /**
   * Wait until the instance ends (PyODPS `wait_for_success`), polling its status (long polls), and
   * report stage progress to `onProgress`. Rejects with `SqlError` when a task failed or was
   * cancelled, `WaitTimeoutError` after `timeout` ms (the instance keeps running: `stop()` it if
   * needed), or the signal's reason when `signal` aborts.
   */
  async waitForSuccess(options: WaitOptions = {}): Promise<this> {
    if (!this.syncResults) {
      await waitForTermination({ id: this.id, status: (o) => this.status(o), progress: (s) => this.progress(s) }, options);
    }
    const signalOpt = options.signal ? { signal: options.signal } : {};
    const statuses = await this.taskStatuses(signalOpt);
    const bad = statuses.find((t) => t.status !== 'Success');
    if (!bad) return this;
    const results = await this.taskResults(signalOpt);
    throw sqlErrorFromTask(results.find((r) => r.name === bad.name) ?? results[0], this.id, bad.status);
  }

  private async progress(signal: AbortSignal): Promise<InstanceProgress> {
    const tasks = await this.taskStatuses({ signal });
    const withStages = [];
    for (const t of tasks) {
      const stages = t.status === 'Waiting' ? [] : await this.taskProgress(t.name, { signal });
      withStages.push({ ...t, stages });
    }
    return { instanceId: this.id, status: this.lastStatus ?? 'Running', tasks: withStages };
  }

  private async resolveTaskName(options: CallOptions): Promise<string> {
    if (this.taskName) return this.taskName;
    const first = (await this.taskStatuses(options))[0];
    if (!first) throw new OdpsError(`instance ${this.id} has no tasks`, { code: 'NoTask' });
    this.taskName = first.name;
    return first.name;
  }

  /**
   * Typed rows of a finished SELECT from `?result` (inline results: up to 10 000 rows). `T` names the
   * row tuple the caller expects (`getResult<[bigint, string]>()`); it is not checked at run time.
   * Values are typed per the result columns (BIGINT as bigint, DATETIME read in the session zone...).
   * Throws `SqlError` when the task failed. For more rows use {@link Instance.openReader}.
   */
  async getResult<T extends Row = Row>(options: ResultOptions = {}): Promise<SqlResult<T>> {
    const results = await this.taskResults(options);
    const task = options.taskName ? results.find((r) => r.name === options.taskName) : results[0];
    if (!task) throw new OdpsError(`instance ${this.id} has no task result${options.taskName ? ` for ${options.taskName}` : ''}`, { code: 'NoTaskResult' });
    if (task.status === 'Failed') throw sqlErrorFromTask(task, this.id, 'Failed');
    const binary = options.binaryStrings ? { binaryStrings: true } : {};
    // Only results with DATETIME text need the zone (and maybe a project lookup).
    const hasDatetime = (task.descriptor?.columns ?? []).some((c) => /datetime/i.test(c.type));
    if (!hasDatetime) return sqlResultFromTask(task, binary) as SqlResult<T>;
    const timeZone = await dataTimeZone(this.context, this.project, { explicit: options.timeZone, session: this.timeZone });
    return sqlResultFromTask(task, { ...binary, timeZone }) as SqlResult<T>;
  }

  /** Rows of `getResult()` one at a time; `asObjects` yields `{ column: value }` records. */
  readResultRows<T extends Record<string, unknown> = Record<string, unknown>>(options: ResultOptions & { asObjects: true }): AsyncGenerator<T, void, undefined>;
  /** Rows as arrays in column order (the default). */
  readResultRows<T extends Row = Row>(options?: ResultOptions & { asObjects?: false }): AsyncGenerator<T, void, undefined>;
  async *readResultRows(options: ResultOptions & { asObjects?: boolean } = {}): AsyncGenerator<Row | Record<string, unknown>, void, undefined> {
    const { columns, rows } = await this.getResult(options);
    for (const row of rows) yield options.asObjects ? Object.fromEntries(columns.map((c, i) => [c.name, row[i]])) : row;
  }

  /**
   * All result rows through the instance tunnel (lazy: `for await (const row of inst.openReader())`),
   * falling back to the `?result` CSV when the tunnel cannot serve this instance (PyODPS
   * `instance.open_reader(tunnel=True)`).
   * `T` names the row shape the caller expects (`openReader<{ id: bigint }>({ asObjects: true })`); it
   * is not checked at run time.
   */
  openReader<T extends Record<string, unknown> = Record<string, unknown>>(options: InstanceReaderOptions & { asObjects: true }): InstanceRowReader<T>;
  /** Rows as arrays in column order (the default). */
  openReader<T extends Row = Row>(options?: InstanceReaderOptions & { asObjects?: false }): InstanceRowReader<T>;
  openReader(options: InstanceReaderOptions = {}): InstanceRowReader<Row | Record<string, unknown>> {
    return openInstanceReader(this.context, this, options);
  }

  /** Result as apache-arrow RecordBatches through the instance tunnel (lazy; PyODPS `open_reader(arrow=True)`). */
  openArrowReader(options: InstanceArrowReaderOptions = {}): AsyncIterable<RecordBatch> {
    return openInstanceArrowReader(this.context, this, options);
  }

  /** `?instancesummary`: `{ summary, jsonSummary }` of a task. */
  async taskSummary(taskName?: string, options: CallOptions = {}): Promise<{ summary?: string; jsonSummary?: unknown }> {
    const name = taskName ?? (await this.resolveTaskName(options));
    const res = await this.context.transport.request({ method: 'GET', path: this.path(), query: { instancesummary: null, taskname: name }, signal: options.signal });
    const body = await res.json<{ Instance?: { JsonSummary?: string; Summary?: string } }>();
    const out: { summary?: string; jsonSummary?: unknown } = {};
    if (body.Instance?.Summary !== undefined) out.summary = body.Instance.Summary;
    if (body.Instance?.JsonSummary) {
      try {
        out.jsonSummary = JSON.parse(body.Instance.JsonSummary);
      } catch {
        out.jsonSummary = body.Instance.JsonSummary;
      }
    }
    return out;
  }

  /** `?instancedetail` JSON of a task (undefined when the server has none). */
  async taskDetail(taskName?: string, options: CallOptions = {}): Promise<unknown> {
    const name = taskName ?? (await this.resolveTaskName(options));
    const res = await this.context.transport.request({ method: 'GET', path: this.path(), query: { instancedetail: null, taskname: name }, signal: options.signal });
    const text = await res.text();
    if (text.trim() === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }

  /**
   * Stop the instance (PyODPS `stop`; `PUT` with Status Terminated). Resolves `false` when it had already terminated:
   * the service answers InvalidStateSetting then, which Java's SQL executor ignores on cancel too.
   */
  async stop(options: CallOptions = {}): Promise<boolean> {
    try {
      const res = await this.context.transport.request({
        method: 'PUT', path: this.path(), headers: { 'Content-Type': 'application/xml' },
        body: buildXml({ Instance: { Status: 'Terminated' } }), signal: options.signal,
      });
      await res.dump();
      return true;
    } catch (err) {
      if (err instanceof OdpsError && err.code === 'InvalidStateSetting') return false;
      throw err;
    }
  }

  /** Where the instance is in the scheduler's queue (`?cached`, PyODPS `get_queueing_info`). */
  async queueingInfo(options: CallOptions = {}): Promise<InstanceQueueingInfo> {
    const res = await this.context.transport.request({ method: 'GET', path: this.path(), query: { cached: null }, signal: options.signal });
    return parseQueueingInfo(parseQueueingJson(await res.text({ maxBytes: MAX_XML_BYTES }), `queueing info of instance ${this.id}`));
  }

  /** The job as submitted (`?source`): task names, types, query text and settings. */
  source(options: CallOptions = {}): Promise<InstanceSource> {
    return fetchSource(this.context, this.path(), options.signal);
  }

  /** The SQL text the instance ran (its first task with a query; PyODPS `instance.tasks[0].query`). */
  async sqlText(options: CallOptions = {}): Promise<string> {
    const task = (await this.source(options)).tasks.find((t) => t.query !== undefined);
    if (!task) throw new OdpsError(`instance ${this.id} has no task with a query`, { code: 'NoTask' });
    return task.query as string;
  }

  /**
   * The quota the instance was submitted to: its `odps.task.wlm.quota` setting, or undefined when it
   * ran on the project's default quota (`projects.get().defaultQuota`).
   */
  async quotaName(options: CallOptions = {}): Promise<string | undefined> {
    for (const t of (await this.source(options)).tasks) {
      const q = t.settings['odps.task.wlm.quota'];
      if (q) return q;
    }
    return undefined;
  }

  /** PyODPS `get_task_cost`: CPU, memory and input of a task from its summary's `Cost`. */
  async taskCost(taskName?: string, options: CallOptions = {}): Promise<TaskCost | undefined> {
    return taskCostFromSummary((await this.taskSummary(taskName, options)).jsonSummary);
  }

  /** PyODPS `get_task_quota` (`?instancequota`): the service's quota JSON for a task, unparsed. */
  async taskQuota(taskName?: string, options: CallOptions = {}): Promise<Record<string, unknown>> {
    const name = taskName ?? (await this.resolveTaskName(options));
    return fetchTaskQuota(this.context, this.path(), name, options);
  }

  /** Logview URL (legacy logview with a bearer token by default; Job Insight on request). */
  async logviewUrl(options: LogviewOptions = {}): Promise<string> {
    return logviewUrl(this.context, this, options);
  }
}

