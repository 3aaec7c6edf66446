// `odps instance` as the user sees it (options, help); its code is in instance.ts, loaded only when the command runs.
import type { Command } from 'commander';
import { commandAction } from '../command-action.js';
import type { CliIo } from '../context.js';
import type { InstanceOptions } from './instance.js';

export function registerInstance(program: Command, io: CliIo): void {
  program
    .command('instance')
    .description('show one instance (status, tasks), or wait for it, stop it, or print its logview link')
    .argument('<id>', 'instance id')
    .option('--wait', 'wait until it ends (progress bar on a terminal; Ctrl-C stops the instance); exit 1 if it failed')
    .option('--stop', 'stop the instance')
    .option('--logview', 'print the logview URL')
    .option('--json', 'machine-readable output')
    .action(commandAction<InstanceOptions>(io, async (ctx, args, opts) => (await import('./instance.js')).run(ctx, args[0] as string, opts)));
}
