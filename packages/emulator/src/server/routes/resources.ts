// Resource routes: list, create/update (whole, in parts, merge), meta in headers, content by range, delete.
import { httpErrors } from '../errors.js';
import { paginate } from '../paging.js';
import type { RequestContext } from '../request-context.js';
import type { Router } from '../router.js';
import { RESOURCE_TYPES, type ResourceInput, type ResourceRecord, type ResourceType } from '../registry/resource-store.js';
import { formatHttpDate } from '../time-format.js';
import { el } from '../xml.js';
import { requireProject } from './project-guard.js';

function resourceElement(r: ResourceRecord): ReturnType<typeof el> {
  return el('Resource', [
    el('Name', r.name),
    el('Owner', r.owner),
    el('Comment', r.comment),
    el('ResourceType', r.type.toUpperCase()),
    el('LocalPath', ''),
    el('CreationTime', formatHttpDate(r.createTime)),
    el('LastModifiedTime', formatHttpDate(r.lastModifiedTime)),
    el('LastUpdator', r.updator),
    el('ResourceSize', r.content.length),
    r.tableSource ? el('TableName', r.tableSource) : null,
  ]);
}

function list(ctx: RequestContext): void {
  const project = requireProject(ctx);
  const prefix = ctx.q('name');
  const owner = ctx.q('owner');
  const items = ctx.emu.registry.resources
    .list(project)
    .filter((r) => (!prefix || r.name.startsWith(prefix)) && (!owner || r.owner === owner));
  const page = paginate(ctx, items, (r) => r.name);
  ctx.sendXml(el('Resources', [...page.items.map(resourceElement), el('Marker', page.marker), el('MaxItems', page.maxItems)]));
}

/** The x-odps-resource-* headers of a create/update (PyODPS FileResource.create, Java Resources). */
function inputOf(ctx: RequestContext, project: string, pathName?: string): ResourceInput {
  const typeText = ctx.header('x-odps-resource-type')?.trim().toLowerCase();
  if (!typeText || !(RESOURCE_TYPES as readonly string[]).includes(typeText)) {
    throw httpErrors.invalidArgument(`x-odps-resource-type must be one of ${RESOURCE_TYPES.join(', ')}, got '${typeText ?? ''}'.`);
  }
  const name = ctx.header('x-odps-resource-name') ?? pathName;
  if (!name) throw httpErrors.invalidArgument('x-odps-resource-name is missing.');
  if (pathName !== undefined && name !== pathName) {
    throw httpErrors.invalidArgument(`x-odps-resource-name '${name}' differs from the resource in the path '${pathName}'.`);
  }
  const type = typeText as ResourceType;
  const comment = ctx.header('x-odps-comment');
  const tableSource = ctx.header('x-odps-copy-table-source')?.trim();
  if (type === 'table' && !tableSource) throw httpErrors.invalidArgument('a table resource needs x-odps-copy-table-source.');
  return {
    project,
    name,
    type,
    isTemp: (ctx.header('x-odps-resource-istemp') ?? '').toLowerCase() === 'true',
    owner: ctx.emu.config.owner,
    ...(comment !== undefined ? { comment } : {}),
    ...(type === 'table' && tableSource ? { tableSource } : {}),
  };
}

function write(ctx: RequestContext, overwrite: boolean): void {
  const project = requireProject(ctx);
  const input = inputOf(ctx, project, overwrite ? ctx.param('resource') : undefined);
  const store = ctx.emu.registry.resources;
  if (ctx.q('rOpMerge') === 'true') {
    if (input.type === 'table') throw httpErrors.invalidArgument('a table resource cannot be merged from parts.');
    store.merge(input, ctx.bodyText(), ctx.header('x-odps-resource-merge-total-bytes'), overwrite);
  } else {
    const part = ctx.q('rIsPart') === 'true';
    store.save(input, input.type === 'table' ? Buffer.alloc(0) : ctx.body, part ? 'part' : overwrite ? 'overwrite' : 'create');
  }
  ctx.sendEmpty(overwrite ? 200 : 201, overwrite ? {} : { Location: `${ctx.emu.urls.rest}/projects/${encodeURIComponent(project)}/resources/${encodeURIComponent(input.name)}` });
}

function metaHeaders(r: ResourceRecord): Record<string, string> {
  return {
    'x-odps-owner': r.owner,
    'x-odps-resource-type': r.type,
    'x-odps-comment': r.comment,
    'x-odps-updator': r.updator,
    'x-odps-resource-size': String(r.content.length),
    'x-odps-resource-istemp': String(r.isTemp),
    'x-odps-creation-time': formatHttpDate(r.createTime),
    'Last-Modified': formatHttpDate(r.lastModifiedTime),
    'Content-MD5': r.md5,
    ...(r.tableSource ? { 'x-odps-copy-table-source': r.tableSource } : {}),
  };
}

function nonNegative(ctx: RequestContext, key: string): number | undefined {
  const text = ctx.q(key);
  if (text === undefined || text === '') return undefined;
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n)) throw httpErrors.invalidArgument(`${key} must be a non-negative integer, got '${text}'.`);
  return n;
}

function get(ctx: RequestContext): void {
  const project = requireProject(ctx);
  const r = ctx.emu.registry.resources.require(project, ctx.param('resource'));
  if (ctx.has('meta')) return ctx.sendEmpty(200, metaHeaders(r));
  if (r.type === 'table') throw httpErrors.invalidArgument(`resource ${r.name} is a table resource; read its table instead.`);
  // rOffset/rSize: one window of the body (Java ResourceInputStream reads 64 MiB windows this way).
  const offset = Math.min(nonNegative(ctx, 'rOffset') ?? 0, r.content.length);
  const size = nonNegative(ctx, 'rSize');
  const end = size === undefined ? r.content.length : Math.min(r.content.length, offset + size);
  ctx.send(200, r.content.subarray(offset, end), 'application/octet-stream', { 'x-odps-resource-has-remaining': String(end < r.content.length) });
}

function remove(ctx: RequestContext): void {
  const project = requireProject(ctx);
  ctx.emu.registry.resources.remove(project, ctx.param('resource'));
  ctx.sendEmpty(204);
}

export function registerResourceRoutes(router: Router): void {
  router.add('rest', 'GET', '/projects/:project/resources', list);
  router.add('rest', 'POST', '/projects/:project/resources', (ctx) => write(ctx, false));
  router.add('rest', 'GET', '/projects/:project/resources/:resource', get);
  router.add('rest', 'PUT', '/projects/:project/resources/:resource', (ctx) => write(ctx, true));
  router.add('rest', 'DELETE', '/projects/:project/resources/:resource', remove);
}
