// `odps instances`: recent instances of the project, optionally by status.
import { Option, type Command } from 'commander';
import type { Instance, InstanceStatus } from '@odps-ts/odps-client';
import { commandAction } from '../command-action.js';
import type { CliIo, CommandContext } from '../context.js';
import { listText, writeJson } from '../output/text-lines.js';
import { positiveInt } from './options.js';

interface InstancesOptions {
  status?: InstanceStatus;
  limit?: number;
  mine?: boolean;
  json?: boolean;
}

async function run(ctx: CommandContext, opts: InstancesOptions): Promise<void> {
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

export function registerInstances(program: Command, io: CliIo): void {
  program
    .command('instances')
    .description('list instances (jobs) of the project (TSV off a terminal: id, status, owner, start, end)')
    .addOption(new Option('--status <status>', 'only instances in this state').choices(['Running', 'Suspended', 'Terminated']))
    .option('--limit <n>', 'at most n instances (default 100)', positiveInt('--limit'))
    .option('--mine', 'only my own instances')
    .option('--json', 'machine-readable output')
    .action(commandAction<InstancesOptions>(io, (ctx, _args, opts) => run(ctx, opts)));
}
