// SQL instances: creation (with Guid de-duplication), asynchronous execution on the engine, stop, waiting.
import type { Engine, SqlResult } from '../../engine/types.js';
import type { UserFunctionLookup } from '../../engine/sql/user-functions.js';
import type { EmulatorLogger } from '../logger.js';
import { newInstanceId } from './instance-id.js';
import type { JobSpec, SqlTaskSpec } from './job-xml.js';

export type InstanceStatus = 'Running' | 'Terminated';
export type TaskStatus = 'Waiting' | 'Running' | 'Success' | 'Failed' | 'Cancelled';

export interface TaskRecord {
  spec: SqlTaskSpec;
  status: TaskStatus;
  startTime?: Date;
  endTime?: Date;
  result?: SqlResult;
  /** The error text for a failed task (`ODPS-0130161:...`). */
  error?: string;
  /** Result text of a task that is not a query (the SQLCost JSON). */
  text?: string;
}

/** What the store needs from the rest of the emulator to run tasks. */
export interface InstanceHooks {
  /** The registered functions SQL in `project` may call. */
  functions?(project: string): UserFunctionLookup;
  /** The `{"Cost":{"SQL":{...}}}` text of a SQLCost task. */
  estimateCost?(project: string, query: string, schema: string | undefined): Promise<string>;
}

export interface InstanceRecord {
  id: string;
  project: string;
  owner: string;
  job: JobSpec;
  /** The submitted XML, answered by `?source`. */
  sourceXml: string;
  /** Schema from `curr_schema` at submission. */
  schema?: string;
  status: InstanceStatus;
  startTime: Date;
  endTime?: Date;
  tasks: TaskRecord[];
  /** Resolves when the instance terminates (never rejects). */
  terminated: Promise<void>;
}

interface CreateInput {
  project: string;
  owner: string;
  job: JobSpec;
  sourceXml: string;
  schema?: string;
}

/** SQL error text for anything the engine threw. */
function errorText(err: unknown): string {
  if (err && typeof err === 'object' && 'odpsCode' in err && err instanceof Error) return err.message;
  const message = err instanceof Error ? err.message : String(err);
  return `ODPS-0010000:System internal error - ${message}`;
}

// Bounds memory of a long-running emulator; the oldest terminated instances are forgotten first.
const MAX_INSTANCES = 5_000;

export class InstanceStore {
  private readonly byId = new Map<string, InstanceRecord>();
  private readonly byGuid = new Map<string, string>();
  private readonly wakers = new Map<string, () => void>();
  /** Aborted on stop: interrupts the instance's query in the engine. */
  private readonly aborts = new Map<string, AbortController>();

  constructor(
    private readonly engine: Engine,
    private readonly now: () => Date,
    private readonly logger: EmulatorLogger,
    /** Results longer than this stay in the engine (a snapshot the instance tunnel reads in chunks). */
    private readonly keepResultOver?: number,
    /** The project's three-tier model (CREATE/DROP SCHEMA allowed). */
    private readonly namespaceSchema = true,
    private readonly hooks: InstanceHooks = {},
  ) {}

  /** Create and start an instance; a job whose Guid was seen before returns the earlier instance. */
  create(input: CreateInput): { instance: InstanceRecord; duplicate: boolean } {
    const guidKey = input.job.guid ? `${input.project}\u0000${input.job.guid}` : undefined;
    if (guidKey) {
      const existing = this.byGuid.get(guidKey);
      const found = existing ? this.byId.get(existing) : undefined;
      if (found) return { instance: found, duplicate: true };
    }
    let id = newInstanceId(this.now());
    while (this.byId.has(id)) id = newInstanceId(this.now());
    let wake: () => void = () => {};
    const terminated = new Promise<void>((resolve) => {
      wake = resolve;
    });
    const instance: InstanceRecord = {
      id,
      project: input.project,
      owner: input.owner,
      job: input.job,
      sourceXml: input.sourceXml,
      ...(input.schema ? { schema: input.schema } : {}),
      status: 'Running',
      startTime: this.now(),
      tasks: input.job.tasks.map((spec) => ({ spec, status: 'Waiting' })),
      terminated,
    };
    this.byId.set(id, instance);
    this.wakers.set(id, wake);
    this.aborts.set(id, new AbortController());
    if (guidKey) this.byGuid.set(guidKey, id);
    this.prune();
    // Run after the 201 is answered, as the service does.
    setImmediate(() => {
      void this.run(instance);
    });
    return { instance, duplicate: false };
  }

  get(project: string, id: string): InstanceRecord | undefined {
    const inst = this.byId.get(id);
    return inst && inst.project === project ? inst : undefined;
  }

  /** Instances of a project, ordered by id (which starts with the creation time). */
  list(project: string): InstanceRecord[] {
    return [...this.byId.values()].filter((i) => i.project === project).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /**
   * Stop a running instance: unfinished tasks become Cancelled and the engine query is interrupted,
   * so the engine is free for the next query. No-op when already terminated.
   */
  stop(instance: InstanceRecord): void {
    if (instance.status === 'Terminated') return;
    this.aborts.get(instance.id)?.abort();
    const at = this.now();
    for (const t of instance.tasks) {
      if (t.status === 'Waiting' || t.status === 'Running') {
        t.status = 'Cancelled';
        t.endTime = at;
      }
    }
    this.finish(instance);
  }

  /** Wait until terminated or `ms` passed. */
  async waitTerminated(instance: InstanceRecord, ms: number): Promise<void> {
    if (instance.status === 'Terminated' || ms <= 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([instance.terminated, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
    if (timer) clearTimeout(timer);
  }

  reset(): void {
    for (const inst of this.byId.values()) {
      this.stop(inst);
      this.releaseResults(inst);
    }
    this.byId.clear();
    this.byGuid.clear();
    this.wakers.clear();
    this.aborts.clear();
  }

  private async run(instance: InstanceRecord): Promise<void> {
    for (const task of instance.tasks) {
      if (instance.status === 'Terminated') return;
      task.status = 'Running';
      task.startTime = this.now();
      const hints = { ...task.spec.settings };
      const schema = hints['odps.default.schema'] ?? instance.schema;
      try {
        if (task.spec.type === 'SQLCost') {
          if (!this.hooks.estimateCost) throw new Error('SQLCost tasks are not available');
          const text = await this.hooks.estimateCost(instance.project, task.spec.query, schema);
          if (task.status !== 'Running') return;
          task.text = text;
          task.status = 'Success';
          task.endTime = this.now();
          continue;
        }
        const functions = this.hooks.functions?.(instance.project);
        const result = await this.engine.execute(instance.project, task.spec.query, {
          hints,
          owner: instance.owner,
          ...(schema ? { schema } : {}),
          ...(this.keepResultOver !== undefined ? { keepResultOver: this.keepResultOver } : {}),
          ...(functions ? { functions } : {}),
          ...(this.aborts.has(instance.id) ? { signal: this.aborts.get(instance.id)!.signal } : {}),
          namespaceSchema: this.namespaceSchema,
        });
        if (task.status !== 'Running') {
          this.release(result); // stopped meanwhile
          return;
        }
        task.result = result;
        task.status = 'Success';
      } catch (err) {
        if (task.status !== 'Running') return;
        task.error = errorText(err);
        task.status = 'Failed';
        this.logger.debug('sql task failed', { instance: instance.id, task: task.spec.name, error: task.error });
      }
      task.endTime = this.now();
      if (task.status === 'Failed') {
        // Later tasks of a failed job never start.
        for (const t of instance.tasks) if (t.status === 'Waiting') t.status = 'Cancelled';
        break;
      }
    }
    this.finish(instance);
  }

  private finish(instance: InstanceRecord): void {
    if (instance.status === 'Terminated') return;
    instance.status = 'Terminated';
    instance.endTime = this.now();
    this.wakers.get(instance.id)?.();
    this.wakers.delete(instance.id);
    this.aborts.delete(instance.id);
  }

  private prune(): void {
    if (this.byId.size <= MAX_INSTANCES) return;
    for (const [id, inst] of this.byId) {
      if (this.byId.size <= MAX_INSTANCES) break;
      if (inst.status !== 'Terminated') continue;
      this.releaseResults(inst);
      this.byId.delete(id);
      if (inst.job.guid) this.byGuid.delete(`${inst.project}\u0000${inst.job.guid}`);
    }
  }

  /** Drop the engine snapshots that hold an instance's large results. */
  private releaseResults(instance: InstanceRecord): void {
    for (const t of instance.tasks) if (t.result) this.release(t.result);
  }

  private release(result: SqlResult): void {
    const id = result.snapshot?.id;
    if (id === undefined || !this.engine.dropSnapshot) return;
    this.engine.dropSnapshot(id).catch((err: unknown) => this.logger.warn('dropping a result snapshot failed', { error: String(err) }));
  }
}
