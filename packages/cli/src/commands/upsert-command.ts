// `odps upsert` as the user sees it (options, help); its code is in upsert.ts, loaded only when the command runs.
import { Option, type Command } from 'commander';
import { commandAction } from '../command-action.js';
import type { CliIo } from '../context.js';
import type { UpsertOptions } from './upsert.js';

export function registerUpsert(program: Command, io: CliIo): void {
  program
    .command('upsert')
    .description('upsert (or delete) CSV/NDJSON rows by primary key into a transactional table; one commit at the end')
    .argument('<table>', 'table name (transactional, with a primary key)')
    .requiredOption('-i, --input <file>', 'the file to read (- for stdin)')
    .addOption(new Option('--format <format>', 'file format (default: from the file extension)').choices(['csv', 'ndjson']))
    .option('--partition <spec>', 'target partition, e.g. ds=20250101')
    .option('--delete-column <name>', 'an input-only boolean column: rows where it is true delete their key')
    .addOption(new Option('--binary <encoding>', 'how BINARY values are written in CSV/NDJSON').choices(['base64', 'hex']).default('base64'))
    .addOption(new Option('--compress <codec>', 'compress request bodies').choices(['deflate', 'none']).default('none'))
    .action(commandAction<UpsertOptions>(io, async (ctx, args, opts) => (await import('./upsert.js')).run(ctx, args[0] as string, opts)));
}
