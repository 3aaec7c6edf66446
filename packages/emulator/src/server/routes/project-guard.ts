// Resolves the project (and schema) a request addresses, answering 404 for ones the emulator lacks.
import type { EmulatorContext } from '../context.js';
import { EmulatorHttpError, httpErrors } from '../errors.js';
import type { RequestContext } from '../request-context.js';

export const DEFAULT_SCHEMA = 'default';

export function projectExists(emu: EmulatorContext, project: string): boolean {
  return emu.config.projects.includes(project);
}

/** The `:project` path parameter, checked. */
export function requireProject(ctx: RequestContext): string {
  const project = ctx.param('project');
  if (!projectExists(ctx.emu, project)) throw httpErrors.noSuchProject(project);
  return project;
}

/** Schema from `curr_schema` (three-tier addressing, rest.md §2), default 'default'. */
export function schemaOf(ctx: RequestContext): string {
  const s = ctx.q('curr_schema');
  return s === undefined || s === '' ? DEFAULT_SCHEMA : s;
}

/** 404 NoSuchSchema unless the schema exists (engines that keep no schemas know only `default`). */
export function requireSchema(ctx: RequestContext, project: string, schema: string): void {
  const engine = ctx.emu.engine;
  const known = engine.getSchema ? engine.getSchema(project, schema) !== undefined : schema.toLowerCase() === DEFAULT_SCHEMA;
  if (!known) throw noSuchSchema(project, schema);
}

export function noSuchSchema(project: string, schema: string): EmulatorHttpError {
  return new EmulatorHttpError(404, 'NoSuchSchema', `ODPS-0110061:Failed to get schema - schema '${project}.${schema}' does not exist.`);
}
