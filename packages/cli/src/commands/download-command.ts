// `odps download` as the user sees it (options, help); its code is in download.ts, loaded only when the command runs.
import { Option, type Command } from 'commander';
import { commandAction } from '../command-action.js';
import type { CliIo } from '../context.js';
import type { DownloadOptions } from './download.js';
import { columnList, compressOption, delimiter, positiveInt } from './options.js';
import { TRANSFER_FORMATS } from './transfer-format.js';

export function registerDownload(program: Command, io: CliIo): void {
  program
    .command('download')
    .description('download a table or one partition through the Tunnel as CSV, NDJSON or Arrow')
    .argument('<table>', 'table name')
    .option('--partition <spec>', "partition to read, e.g. ds=20250101 or \"ds='20250101',hh='08'\"")
    .option('--columns <a,b,...>', 'only these columns, in this order', columnList)
    .option('--limit <n>', 'at most n rows', positiveInt('--limit'))
    .addOption(new Option('--format <format>', 'file format (default: from the -o extension)').choices([...TRANSFER_FORMATS]))
    .option('-o, --output <file>', 'write to a file (default stdout)')
    .addOption(new Option('--binary <encoding>', 'how BINARY values are written in CSV/NDJSON').choices(['base64', 'hex']).default('base64'))
    .option('--no-header', 'CSV without the header row')
    .option('--delimiter <char>', 'CSV field separator (default ","; "tab" for TSV)', delimiter)
    .addOption(compressOption('server sends'))
    .action(commandAction<DownloadOptions>(io, async (ctx, args, opts) => (await import('./download.js')).run(ctx, args[0] as string, opts)));
}
