// Schema routes of three-tier projects (rest.md §6): list, get, create (POST XML) and delete.
import type { SchemaInfo } from '../../engine/types.js';
import { SqlError } from '../../engine/sql-error.js';
import { EmulatorHttpError } from '../errors.js';
import { paginate } from '../paging.js';
import type { RequestContext } from '../request-context.js';
import type { Router } from '../router.js';
import { formatHttpDate } from '../time-format.js';
import { el, parseXmlBody, textOf, type Raw } from '../xml.js';
import { DEFAULT_SCHEMA, noSuchSchema, requireProject } from './project-guard.js';

function schemaElement(s: SchemaInfo): Raw {
  return el('Schema', [
    el('Name', s.name),
    el('Project', s.project),
    el('Owner', s.owner),
    el('Description', s.comment),
    el('Comment', s.comment),
    el('CreateTime', formatHttpDate(s.createTime)),
    el('ModifyTime', formatHttpDate(s.lastModifiedTime)),
    el('Type', 'MANAGED'),
  ]);
}

function schemas(ctx: RequestContext, project: string): SchemaInfo[] {
  const e = ctx.emu.engine;
  if (e.listSchemas) return e.listSchemas(project);
  const at = new Date(Date.UTC(2024, 0, 1));
  return [{ project, name: DEFAULT_SCHEMA, comment: '', owner: ctx.emu.config.owner, createTime: at, lastModifiedTime: at }];
}

/** Engine refusals as HTTP errors. [UNVERIFIED] the service's codes for a duplicate or a non-empty schema. */
function asHttp(err: unknown, project: string, schema: string): unknown {
  if (!(err instanceof SqlError)) return err;
  if (err.kind === 'no_such_schema') return noSuchSchema(project, schema);
  if (err.kind === 'already_exists') return new EmulatorHttpError(409, 'ObjectAlreadyExists', err.message);
  return new EmulatorHttpError(400, 'InvalidArgument', err.message);
}

function requireThreeTier(ctx: RequestContext, project: string): void {
  // PyODPS falls back to CREATE/DROP SCHEMA in SQL on InvalidParameter, which the emulator refuses the same way.
  if (!ctx.emu.config.namespaceSchema) {
    throw new EmulatorHttpError(400, 'InvalidParameter', `ODPS-0420061: Invalid parameter - project '${project}' does not have the three-tier model enabled (odps.namespace.schema=false).`);
  }
}

function createSchema(ctx: RequestContext): Promise<void> {
  const project = requireProject(ctx);
  requireThreeTier(ctx, project);
  const root = parseXmlBody(ctx.bodyText())['Schema'];
  if (!root || typeof root !== 'object') throw new EmulatorHttpError(400, 'InvalidArgument', 'ODPS-0420411:Invalid argument - the body must be a Schema XML document.');
  const body = root as Record<string, unknown>;
  const name = textOf(body['Name'])?.trim() ?? '';
  if (!name) throw new EmulatorHttpError(400, 'InvalidArgument', 'ODPS-0420411:Invalid argument - Schema/Name is required.');
  const inBody = textOf(body['Project'])?.trim();
  if (inBody && inBody.toLowerCase() !== project.toLowerCase()) {
    throw new EmulatorHttpError(400, 'InvalidArgument', `ODPS-0420411:Invalid argument - Schema/Project '${inBody}' is not the project of the URL.`);
  }
  // Go and Java send Comment, PyODPS Description.
  const comment = textOf(body['Comment']) ?? textOf(body['Description']);
  const ifNotExists = textOf(body['IfNotExists'])?.trim().toLowerCase() === 'true';
  const engine = ctx.emu.engine;
  if (!engine.createSchema) throw new EmulatorHttpError(405, 'MethodNotAllowed', 'This engine does not keep schemas.');
  return engine.createSchema(project, name, { ifNotExists, ...(comment ? { comment } : {}) }).then(
    () => ctx.sendEmpty(201),
    (err: unknown) => {
      throw asHttp(err, project, name);
    },
  );
}

function deleteSchema(ctx: RequestContext): Promise<void> {
  const project = requireProject(ctx);
  requireThreeTier(ctx, project);
  const name = ctx.param('schema');
  const engine = ctx.emu.engine;
  if (!engine.dropSchema) throw new EmulatorHttpError(405, 'MethodNotAllowed', 'This engine does not keep schemas.');
  return engine.dropSchema(project, name).then(
    () => ctx.sendEmpty(200),
    (err: unknown) => {
      throw asHttp(err, project, name);
    },
  );
}

export function registerSchemaRoutes(router: Router): void {
  router.add('rest', 'GET', '/projects/:project/schemas', (ctx) => {
    const project = requireProject(ctx);
    const prefix = (ctx.q('name') ?? '').toLowerCase();
    const owner = ctx.q('owner');
    const list = schemas(ctx, project).filter((s) => s.name.startsWith(prefix) && (!owner || s.owner === owner));
    const page = paginate(ctx, list, (s) => s.name);
    ctx.sendXml(el('Schemas', [...page.items.map(schemaElement), el('Marker', page.marker), el('MaxItems', page.maxItems)]));
  });

  router.add('rest', 'GET', '/projects/:project/schemas/:schema', (ctx) => {
    const project = requireProject(ctx);
    const name = ctx.param('schema');
    const s = schemas(ctx, project).find((x) => x.name === name.toLowerCase());
    if (!s) throw noSuchSchema(project, name);
    ctx.sendXml(schemaElement(s), {
      'x-odps-owner': s.owner,
      'x-odps-creation-time': formatHttpDate(s.createTime),
      'Last-Modified': formatHttpDate(s.lastModifiedTime),
    });
  });

  router.add('rest', 'POST', '/projects/:project/schemas', createSchema);
  router.add('rest', 'DELETE', '/projects/:project/schemas/:schema', deleteSchema);
}
