// `odps tables` as the user sees it (options, help); its code is in tables.ts, loaded only when the command runs.
import { Option, type Command } from 'commander';
import { commandAction } from '../command-action.js';
import type { CliIo } from '../context.js';
import type { TablesOptions } from './tables.js';

export function registerTables(program: Command, io: CliIo): void {
  program
    .command('tables')
    .description('list tables of the project (TSV off a terminal: name, type, owner, comment, last modified)')
    .option('--prefix <text>', 'only tables whose name starts with <text>')
    .option('--owner <account>', 'only tables owned by <account>, e.g. ALIYUN$me@example.com')
    .addOption(new Option('--type <type>', 'only tables of this type').choices(['MANAGED_TABLE', 'VIRTUAL_VIEW', 'EXTERNAL_TABLE', 'MATERIALIZED_VIEW']))
    .option('--json', 'JSON array of table summaries')
    .action(commandAction<TablesOptions>(io, async (ctx, _args, opts) => (await import('./tables.js')).run(ctx, opts)));
}
