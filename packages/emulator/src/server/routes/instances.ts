// SQL instance routes: submit, status (with long poll), sub-resources, stop, list (rest.md §4).
import { EmulatorHttpError, httpErrors } from '../errors.js';
import type { InstanceRecord, TaskRecord } from '../instances/instance-store.js';
import { parseJobXml } from '../instances/job-xml.js';
import { queueingInfoJson } from '../instances/queueing-info.js';
import { taskQuotaJson } from '../instances/task-quota.js';
import { paginate } from '../paging.js';
import type { RequestContext } from '../request-context.js';
import type { Router } from '../router.js';
import { unixSeconds } from '../time-format.js';
import { cdataEl, el, parseXmlBody, textOf } from '../xml.js';
import {
  detailJson,
  instanceHeaders,
  instanceListElement,
  progressDocument,
  resultDocument,
  statusElement,
  summaryJson,
  taskStatusDocument,
} from './instance-xml.js';
import { requireProject } from './project-guard.js';

function requireInstance(ctx: RequestContext): InstanceRecord {
  const project = requireProject(ctx);
  const id = ctx.param('instance');
  const inst = ctx.emu.instances.get(project, id);
  if (!inst) throw httpErrors.noSuchInstance(id);
  return inst;
}

/** The task named by `taskname` (or by the value of e.g. `instanceprogress=<t>`), else the first. */
function taskOf(ctx: RequestContext, inst: InstanceRecord, alt?: string): TaskRecord | undefined {
  const name = ctx.q('taskname') || (alt ? ctx.q(alt) : undefined);
  if (!name) return inst.tasks[0];
  const task = inst.tasks.find((t) => t.spec.name === name);
  if (!task) throw new EmulatorHttpError(404, 'NoSuchObject', `ODPS-0420111:Task not found - '${name}' in instance ${inst.id}.`);
  return task;
}

function submit(ctx: RequestContext): void {
  const project = requireProject(ctx);
  const sourceXml = ctx.bodyText();
  const job = parseJobXml(sourceXml);
  const schema = ctx.q('curr_schema');
  const { instance, duplicate } = ctx.emu.instances.create({
    project,
    owner: ctx.emu.config.owner,
    job,
    sourceXml,
    ...(schema ? { schema } : {}),
  });
  ctx.emu.logger.info(duplicate ? 'instance resubmitted (same Guid)' : 'instance created', { project, instance: instance.id, tasks: job.tasks.length });
  ctx.sendEmpty(201, { Location: `${ctx.emu.urls.rest}/projects/${encodeURIComponent(project)}/instances/${instance.id}` });
}

async function getInstance(ctx: RequestContext): Promise<void> {
  const inst = requireInstance(ctx);
  const headers = instanceHeaders(inst);
  const { maxResultRows, longPollMs } = ctx.emu.config;
  if (ctx.has('result')) return ctx.sendXml(resultDocument(inst, maxResultRows, ctx.emu.config.timeZone), headers);
  if (ctx.has('taskstatus')) return ctx.sendXml(taskStatusDocument(inst), headers);
  if (ctx.has('instanceprogress')) return ctx.sendXml(progressDocument(taskOf(ctx, inst, 'instanceprogress')), headers);
  if (ctx.has('instancesummary')) {
    const task = taskOf(ctx, inst);
    const finalized = task ? task.status !== 'Running' && task.status !== 'Waiting' : true;
    return ctx.sendJson(summaryJson(task), { ...headers, 'x-odps-task-finalized': String(finalized) });
  }
  if (ctx.has('instancedetail') || ctx.has('detail')) return ctx.sendJson(detailJson(inst, ctx.q('taskname') ? taskOf(ctx, inst) : undefined), headers);
  if (ctx.has('source')) return ctx.send(200, jobSourceXml(inst.sourceXml), 'application/xml', headers);
  if (ctx.has('cached')) return ctx.sendJson(queueingInfoJson(inst), headers);
  if (ctx.has('instancequota')) return ctx.sendJson(taskQuotaJson(inst, taskOf(ctx, inst)), headers);
  if (ctx.has('instancestatus')) await ctx.emu.instances.waitTerminated(inst, longPollMs);
  ctx.sendXml(statusElement(inst), instanceHeaders(inst));
}

/**
 * `?source` answers the submitted job with `Job` as the root element: PyODPS parses it with root `Job`
 * and the Java SDK into its `JobModel` (rest.md §4.5 says `Instance/Job`, which those parsers reject).
 */
function jobSourceXml(submitted: string): string {
  const start = submitted.search(/<Job[\s>]/);
  const end = submitted.lastIndexOf('</Job>');
  if (start < 0 || end < start) return submitted;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${submitted.slice(start, end + '</Job>'.length)}`;
}

function stop(ctx: RequestContext): void {
  const inst = requireInstance(ctx);
  const doc = parseXmlBody(ctx.bodyText());
  const status = textOf((doc['Instance'] as Record<string, unknown> | undefined)?.['Status'])?.trim();
  if (status !== 'Terminated') {
    throw new EmulatorHttpError(400, 'InvalidStateSetting', `Only Status Terminated can be set on an instance, got '${status ?? ''}'.`);
  }
  // The service refuses to stop a finished instance; PyODPS tests expect InvalidStateSetting, and Java's
  // SQL executor ignores exactly that code on cancel.
  if (inst.status === 'Terminated') {
    throw new EmulatorHttpError(400, 'InvalidStateSetting', `Instance ${inst.id} is already Terminated; its status cannot be set.`);
  }
  ctx.emu.instances.stop(inst);
  ctx.sendEmpty(200, instanceHeaders(inst));
}

function parseDateRange(text: string | undefined): [number, number] {
  if (!text) return [-Infinity, Infinity];
  const [a, b] = text.split(':');
  const start = a ? Number(a) : -Infinity;
  const end = b ? Number(b) : Infinity;
  if (Number.isNaN(start) || Number.isNaN(end)) {
    throw new EmulatorHttpError(400, 'InvalidArgument', `ODPS-0420411:Invalid argument - daterange must be <start>:<end> in Unix seconds, got '${text}'.`);
  }
  return [start, end];
}

function filtered(ctx: RequestContext, project: string): InstanceRecord[] {
  const status = ctx.q('status')?.toLowerCase();
  const jobName = ctx.q('jobname');
  const [from, to] = parseDateRange(ctx.q('daterange'));
  return ctx.emu.instances.list(project).filter((i) => {
    if (status && i.status.toLowerCase() !== status) return false;
    if (jobName && i.job.name !== jobName) return false;
    const start = unixSeconds(i.startTime);
    return start >= from && start <= to;
  });
}

function list(ctx: RequestContext): void {
  const project = requireProject(ctx);
  const page = paginate(ctx, filtered(ctx, project), (i) => i.id);
  ctx.sendXml(el('Instances', [...page.items.map(instanceListElement), el('Marker', page.marker), el('MaxItems', page.maxItems)]));
}

/**
 * `GET /projects/<p>/cachedinstances`: XML `Instances` whose `Content` is a JSON array of queueing
 * infos (Java `ListInstanceQueueResponse`, PyODPS `CachedInstances`), paged by Marker. Only running
 * instances queue, unless a status filter asks for others.
 */
function listQueueing(ctx: RequestContext): void {
  const project = requireProject(ctx);
  const items = filtered(ctx, project).filter((i) => ctx.q('status') !== undefined || i.status !== 'Terminated');
  const page = paginate(ctx, items, (i) => i.id);
  ctx.sendXml(el('Instances', [el('Marker', page.marker), el('MaxItems', page.maxItems), cdataEl('Content', JSON.stringify(page.items.map(queueingInfoJson)))]));
}

export function registerInstanceRoutes(router: Router): void {
  router.add('rest', 'POST', '/projects/:project/instances', submit);
  router.add('rest', 'GET', '/projects/:project/instances', list);
  router.add('rest', 'GET', '/projects/:project/cachedinstances', listQueueing);
  router.add('rest', 'GET', '/projects/:project/instances/:instance', getInstance);
  router.add('rest', 'PUT', '/projects/:project/instances/:instance', stop);
}
