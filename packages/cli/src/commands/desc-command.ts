// `odps desc` as the user sees it (options, help); its code is in desc.ts, loaded only when the command runs.
import type { Command } from 'commander';
import { commandAction } from '../command-action.js';
import type { CliIo } from '../context.js';
import type { DescOptions } from './desc.js';

export function registerDesc(program: Command, io: CliIo): void {
  program
    .command('desc')
    .description('describe a table: properties, columns, partition keys')
    .argument('<table>', 'table name')
    .option('--partitions', 'also list the partitions')
    .option('--json', 'machine-readable output')
    .action(commandAction<DescOptions>(io, async (ctx, args, opts) => (await import('./desc.js')).run(ctx, args[0] as string, opts)));
}
