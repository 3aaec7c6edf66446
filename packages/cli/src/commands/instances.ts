// `odps instances`: recent instances of the project, optionally by status.
import type { Instance, InstanceStatus } from '@odps-ts/odps-client';
import type { CommandContext } from '../context.js';
import { listText, writeJson } from '../output/text-lines.js';

export interface InstancesOptions {
  status?: InstanceStatus;
  limit?: number;
  mine?: boolean;
  json?: boolean;
}

export async function run(ctx: CommandContext, opts: InstancesOptions): Promise<void> {
  const limit = opts.limit ?? 100;
  const found: Instance[] = [];
  const list = ctx.client().instances.list({ ...(opts.status ? { status: opts.status } : {}), ...(opts.mine ? { onlyOwner: true } : {}) });
  for await (const i of list) {
    found.push(i);
    if (found.length >= limit) break;
  }
  if (opts.json) {
    writeJson(ctx, found.map((i) => ({ id: i.id, status: i.lastStatus, owner: i.owner, startTime: i.startTime, endTime: i.endTime })));
    return;
  }
  ctx.io.stdout.write(listText(ctx, ['id', 'status', 'owner', 'start', 'end'], found.map((i) => [i.id, i.lastStatus ?? null, i.owner ?? null, i.startTime ?? null, i.endTime ?? null])));
}
