// Function routes under /registration/functions: list, get, create, update, delete (Function XML bodies).
import { httpErrors } from '../errors.js';
import { paginate } from '../paging.js';
import type { RequestContext } from '../request-context.js';
import type { Router } from '../router.js';
import type { FunctionInput, FunctionRecord } from '../registry/function-store.js';
import { formatHttpDate } from '../time-format.js';
import { cdataEl, el, parseXmlBody, textOf } from '../xml.js';
import { requireProject } from './project-guard.js';

function functionElement(f: FunctionRecord): ReturnType<typeof el> {
  const sql = f.sqlDefinition !== undefined;
  return el('Function', [
    el('Alias', f.name),
    el('Owner', f.owner),
    el('CreationTime', formatHttpDate(f.createTime)),
    el('ClassType', f.classType),
    el('Resources', f.resources.map((r) => el('ResourceName', r))),
    el('IsSqlFunction', String(sql)),
    sql ? cdataEl('SqlDefinitionText', f.sqlDefinition ?? '') : null,
    el('IsEmbeddedFunction', 'false'),
  ]);
}

function list(ctx: RequestContext): void {
  const project = requireProject(ctx);
  const prefix = ctx.q('name')?.toLowerCase();
  const owner = ctx.q('owner');
  const items = ctx.emu.registry.functions
    .list(project)
    .filter((f) => (!prefix || f.name.toLowerCase().startsWith(prefix)) && (!owner || f.owner === owner));
  const page = paginate(ctx, items, (f) => f.name.toLowerCase());
  ctx.sendXml(el('Functions', [...page.items.map(functionElement), el('Marker', page.marker), el('MaxItems', page.maxItems)]));
}

/** A `Function` body as PyODPS (Function.serialize) and Java (FunctionModel) send it. */
function inputOf(ctx: RequestContext, project: string): FunctionInput {
  const fn = parseXmlBody(ctx.bodyText())['Function'];
  if (!fn || typeof fn !== 'object') throw httpErrors.invalidArgument('the body has no Function element.');
  const node = fn as Record<string, unknown>;
  const name = textOf(node['Alias'])?.trim() ?? '';
  if (name === '') throw httpErrors.invalidArgument('Function/Alias is missing.');
  const resourcesNode = node['Resources'];
  const names = resourcesNode && typeof resourcesNode === 'object' ? ((resourcesNode as Record<string, unknown>)['ResourceName'] as unknown[] | undefined) ?? [] : [];
  const resources = names.map((r) => textOf(r)?.trim() ?? '').filter((r) => r !== '');
  const isSql = (textOf(node['IsSqlFunction']) ?? '').trim().toLowerCase() === 'true';
  const definition = textOf(node['SqlDefinitionText']);
  if (isSql && !definition?.trim()) throw httpErrors.invalidArgument('IsSqlFunction is true but SqlDefinitionText is empty.');
  return {
    project,
    name,
    owner: ctx.emu.config.owner,
    classType: textOf(node['ClassType'])?.trim() ?? '',
    resources,
    ...(isSql && definition ? { sqlDefinition: definition } : {}),
  };
}

function create(ctx: RequestContext): void {
  const project = requireProject(ctx);
  const f = ctx.emu.registry.functions.save(inputOf(ctx, project), false);
  ctx.sendEmpty(201, { Location: `${ctx.emu.urls.rest}/projects/${encodeURIComponent(project)}/registration/functions/${encodeURIComponent(f.name)}` });
}

function update(ctx: RequestContext): void {
  const project = requireProject(ctx);
  const input = inputOf(ctx, project);
  const pathName = ctx.param('function');
  if (input.name.toLowerCase() !== pathName.toLowerCase()) {
    throw httpErrors.invalidArgument(`Function/Alias '${input.name}' differs from the function in the path '${pathName}'.`);
  }
  ctx.emu.registry.functions.save(input, true);
  ctx.sendEmpty(200);
}

function get(ctx: RequestContext): void {
  const project = requireProject(ctx);
  ctx.sendXml(functionElement(ctx.emu.registry.functions.require(project, ctx.param('function'))));
}

function remove(ctx: RequestContext): void {
  const project = requireProject(ctx);
  ctx.emu.registry.functions.remove(project, ctx.param('function'));
  ctx.sendEmpty(204);
}

export function registerFunctionRoutes(router: Router): void {
  router.add('rest', 'GET', '/projects/:project/registration/functions', list);
  router.add('rest', 'POST', '/projects/:project/registration/functions', create);
  router.add('rest', 'GET', '/projects/:project/registration/functions/:function', get);
  router.add('rest', 'PUT', '/projects/:project/registration/functions/:function', update);
  router.add('rest', 'DELETE', '/projects/:project/registration/functions/:function', remove);
}
