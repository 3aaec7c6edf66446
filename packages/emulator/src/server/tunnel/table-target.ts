// Resolves the table a tunnel request addresses: `/projects/p[/schemas/s]/tables/t` (tunnel.md §1.1).
import type { TableInfo } from '../../engine/types.js';
import { httpErrors } from '../errors.js';
import type { RequestContext } from '../request-context.js';
import { DEFAULT_SCHEMA, requireProject } from '../routes/project-guard.js';
import { tunnelErrors } from './tunnel-errors.js';

export interface TableTarget {
  project: string;
  schema: string;
  info: TableInfo;
  /** `project.schema.table`, for messages. */
  label: string;
}

export function tableTarget(ctx: RequestContext): TableTarget {
  const project = requireProject(ctx);
  const fromPath = ctx.params['schema'];
  const fromQuery = ctx.q('curr_schema');
  const schema = fromPath || fromQuery || DEFAULT_SCHEMA;
  const name = ctx.param('table').toLowerCase();
  const info = ctx.emu.engine.getTable(project, name, schema);
  if (!info) throw httpErrors.noSuchTable(project, schema, name);
  const label = `${project}.${schema}.${name}`;
  if (info.type === 'VIRTUAL_VIEW') throw tunnelErrors.viewNotSupported(label);
  return { project, schema, info, label };
}
