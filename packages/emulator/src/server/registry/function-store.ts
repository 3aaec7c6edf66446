// Registered functions of a project: class + resources (UDFs) or a SQL definition, case-insensitive names.
import { parseSqlFunctionDefinition, type UserFunction, type UserFunctionLookup } from '../../engine/sql/user-functions.js';
import { EmulatorHttpError, httpErrors } from '../errors.js';
import type { ResourceStore } from './resource-store.js';

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

export interface FunctionRecord {
  project: string;
  name: string;
  owner: string;
  createTime: Date;
  /** Class the service loads (`com.example.Lower`, `my_udf.Lower`); empty for SQL functions. */
  classType: string;
  /** Resource names as sent: `res` or `other_project/resources/res`. */
  resources: string[];
  /** `CREATE SQL FUNCTION ...` text of a SQL function. */
  sqlDefinition?: string;
}

export interface FunctionInput {
  project: string;
  name: string;
  owner: string;
  classType: string;
  resources: string[];
  sqlDefinition?: string;
}

export function noSuchFunction(name: string): EmulatorHttpError {
  return httpErrors.notFound('NoSuchObject', `ODPS-0420111:Function not found - '${name}'.`);
}

export class FunctionStore {
  private readonly byKey = new Map<string, FunctionRecord>();

  constructor(
    private readonly resources: ResourceStore,
    private readonly now: () => Date,
    private readonly onChange: () => void = () => {},
  ) {}

  restore(record: FunctionRecord): void {
    this.byKey.set(key(record.project, record.name), record);
  }

  all(): FunctionRecord[] {
    return [...this.byKey.values()];
  }

  list(project: string): FunctionRecord[] {
    const lower = (r: FunctionRecord) => r.name.toLowerCase();
    return this.all()
      .filter((r) => r.project === project)
      .sort((a, b) => (lower(a) < lower(b) ? -1 : lower(a) > lower(b) ? 1 : 0));
  }

  get(project: string, name: string): FunctionRecord | undefined {
    return this.byKey.get(key(project, name));
  }

  require(project: string, name: string): FunctionRecord {
    const f = this.get(project, name);
    if (!f) throw noSuchFunction(name);
    return f;
  }

  save(input: FunctionInput, overwrite: boolean): FunctionRecord {
    if (!NAME_RE.test(input.name)) throw httpErrors.invalidArgument(`invalid function name '${input.name}'.`);
    const existing = this.get(input.project, input.name);
    if (!overwrite && existing) {
      throw new EmulatorHttpError(409, 'ObjectAlreadyExists', `ODPS-0420111:Function already exists - '${input.name}'.`);
    }
    if (overwrite && !existing) throw noSuchFunction(input.name);
    if (input.sqlDefinition !== undefined) {
      try {
        parseSqlFunctionDefinition(input.sqlDefinition);
      } catch (err) {
        throw httpErrors.invalidArgument(`SqlDefinitionText: ${(err as Error).message}.`);
      }
    } else if (input.classType.trim() === '') {
      throw httpErrors.invalidArgument(`function ${input.name} needs a ClassType.`);
    }
    for (const r of input.resources) {
      const [project, name] = r.includes('/resources/') ? (r.split('/resources/', 2) as [string, string]) : [input.project, r];
      if (!this.resources.get(project, name)) throw noSuchResourceOf(input.name, r);
    }
    const record: FunctionRecord = {
      project: input.project,
      name: existing?.name ?? input.name,
      owner: existing?.owner ?? input.owner,
      createTime: existing?.createTime ?? this.now(),
      classType: input.classType,
      resources: input.resources,
      ...(input.sqlDefinition !== undefined ? { sqlDefinition: input.sqlDefinition } : {}),
    };
    this.byKey.set(key(record.project, record.name), record);
    this.onChange();
    return record;
  }

  remove(project: string, name: string): void {
    this.require(project, name);
    this.byKey.delete(key(project, name));
    this.onChange();
  }

  /** What SQL in `project` sees of its registered functions. */
  lookup(project: string): UserFunctionLookup {
    return (name) => {
      const f = this.get(project, name);
      if (!f) return undefined;
      const fn: UserFunction = { name: f.name };
      if (f.sqlDefinition !== undefined) fn.sql = parseSqlFunctionDefinition(f.sqlDefinition);
      else fn.classType = f.classType;
      return fn;
    };
  }
}

function noSuchResourceOf(fn: string, resource: string): EmulatorHttpError {
  return httpErrors.notFound('NoSuchObject', `ODPS-0420111:Resource not found - '${resource}' (used by function ${fn}).`);
}

function key(project: string, name: string): string {
  return `${project}\u0000${name.toLowerCase()}`;
}
