// `odps instances` as the user sees it (options, help); its code is in instances.ts, loaded only when the command runs.
import { Option, type Command } from 'commander';
import { commandAction } from '../command-action.js';
import type { CliIo } from '../context.js';
import type { InstancesOptions } from './instances.js';
import { positiveInt } from './options.js';

export function registerInstances(program: Command, io: CliIo): void {
  program
    .command('instances')
    .description('list instances (jobs) of the project (TSV off a terminal: id, status, owner, start, end)')
    .addOption(new Option('--status <status>', 'only instances in this state').choices(['Running', 'Suspended', 'Terminated']))
    .option('--limit <n>', 'at most n instances (default 100)', positiveInt('--limit'))
    .option('--mine', 'only my own instances')
    .option('--json', 'machine-readable output')
    .action(commandAction<InstancesOptions>(io, async (ctx, _args, opts) => (await import('./instances.js')).run(ctx, opts)));
}
