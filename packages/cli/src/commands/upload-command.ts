// `odps upload` as the user sees it (options, help); its code is in upload.ts, loaded only when the command runs.
import { Option, type Command } from 'commander';
import { commandAction } from '../command-action.js';
import type { CliIo } from '../context.js';
import { compressOption, delimiter } from './options.js';
import { TRANSFER_FORMATS } from './transfer-format.js';
import type { UploadOptions } from './upload.js';

export function registerUpload(program: Command, io: CliIo): void {
  program
    .command('upload')
    .description('upload a CSV, NDJSON or Arrow file into a table or one partition through the Tunnel (one commit at the end)')
    .argument('<table>', 'table name')
    .requiredOption('-i, --input <file>', 'the file to upload (- for stdin)')
    .addOption(new Option('--format <format>', 'file format (default: from the file extension)').choices([...TRANSFER_FORMATS]))
    .option('--partition <spec>', 'target partition, e.g. ds=20250101')
    .option('--overwrite', 'replace the table/partition contents (INSERT OVERWRITE semantics)')
    .option('--create-partition', 'create the partition if it does not exist')
    .addOption(new Option('--binary <encoding>', 'how BINARY values are written in CSV/NDJSON').choices(['base64', 'hex']).default('base64'))
    .option('--delimiter <char>', 'CSV field separator of the input (default ","; "tab" for TSV)', delimiter)
    .addOption(compressOption('client sends'))
    .option('--stream', 'use a stream upload session: rows become visible batch by batch, no single commit')
    .action(commandAction<UploadOptions>(io, async (ctx, args, opts) => (await import('./upload.js')).run(ctx, args[0] as string, opts)));
}
