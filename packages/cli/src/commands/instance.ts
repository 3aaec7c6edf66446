// `odps instance <id>`: status and tasks, or --wait (with progress), --stop, --logview.
import type { CommandContext } from '../context.js';
import { UsageError } from '../errors.js';
import { listText, writeJson } from '../output/text-lines.js';
import { waitWithProgress } from './instance-wait.js';

export interface InstanceOptions {
  wait?: boolean;
  stop?: boolean;
  logview?: boolean;
  json?: boolean;
}

export async function run(ctx: CommandContext, id: string, opts: InstanceOptions): Promise<void> {
  const chosen = [opts.wait, opts.stop, opts.logview].filter(Boolean).length;
  if (chosen > 1) throw new UsageError('choose one of --wait, --stop, --logview');
  const instance = ctx.client().instances.get(id);
  if (opts.logview) {
    ctx.io.stdout.write(`${await instance.logviewUrl()}\n`);
    return;
  }
  if (opts.stop) {
    await instance.stop();
    if (ctx.showProgress) ctx.note(`stopped ${id}`);
    return;
  }
  if (opts.wait) await waitWithProgress(ctx, instance);
  const status = await instance.status();
  const tasks = await instance.taskStatuses();
  if (opts.json) {
    writeJson(ctx, { id, status, owner: instance.owner, startTime: instance.startTime, endTime: instance.endTime, tasks });
    return;
  }
  const head: unknown[][] = [['instance', id], ['status', status], ['owner', instance.owner ?? null], ['start', instance.startTime ?? null], ['end', instance.endTime ?? null]];
  ctx.io.stdout.write(listText(ctx, ['property', 'value'], head.filter(([, v]) => v !== null)));
  ctx.io.stdout.write('\n');
  ctx.io.stdout.write(listText(ctx, ['task', 'type', 'status', 'start', 'end'], tasks.map((t) => [t.name, t.type ?? null, t.status, t.startTime ?? null, t.endTime ?? null])));
}
