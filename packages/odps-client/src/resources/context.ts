// What every resource needs from the client: the client context plus SQL execution for DDL.
import type { ClientContext } from '../core/context.js';
import type { Instance } from './instance.js';
import type { RunSqlOptions } from './instance-create.js';

export type { CallOptions, ProjectScoped, SchemaScoped } from '../core/context.js';

export interface OdpsContext extends ClientContext {
  runSql(sql: string, options?: RunSqlOptions): Promise<Instance>;
}
