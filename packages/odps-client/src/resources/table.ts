// A table with its full metadata, bound to the client so it can reload itself and reach its partitions.
import type { OdpsContext } from './context.js';
import { Partitions } from './partitions.js';
import type { TableMeta } from './table-meta.js';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface Table extends TableMeta {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class Table {
  /** Partitions of this table (list/get/exists/add/drop). */
  readonly partitions: Partitions;
  /** The client this table came from (used by the tunnel to open readers and writers). */
  readonly context: OdpsContext;

  /** `scope.schema`: the schema the table was addressed with (sent as `curr_schema` by partition calls). */
  constructor(context: OdpsContext, meta: TableMeta, scope: { schema?: string | undefined } = {}) {
    Object.assign(this, meta);
    this.context = context;
    this.partitions = new Partitions(context, {
      project: meta.project,
      name: meta.name,
      partitionKeys: meta.schema.partitionColumns.map((c) => c.name),
      ...(scope.schema ? { schemaName: scope.schema } : {}),
    });
  }

  get isPartitioned(): boolean {
    return this.schema.partitionColumns.length > 0;
  }

  /** Data columns followed by partition columns. */
  get allColumns(): TableMeta['schema']['columns'] {
    return [...this.schema.columns, ...this.schema.partitionColumns];
  }
}
