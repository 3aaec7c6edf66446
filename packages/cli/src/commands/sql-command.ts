// `odps sql` as the user sees it (options, help); its code is in sql.ts, loaded only when the command runs.
import { Option, type Command } from 'commander';
import { commandAction } from '../command-action.js';
import type { CliIo } from '../context.js';
import { ROW_FORMATS } from '../output/row-writer.js';
import { collectHint, delimiter } from './options.js';
import type { SqlOptions } from './sql.js';

export function registerSql(program: Command, io: CliIo): void {
  program
    .command('sql')
    .description('run an SQL script and print its result (leading SET k=v; lines become hints)')
    .argument('[query]', 'the SQL text (or use -f)')
    .option('-f, --file <file>', 'read the SQL from a file (- for stdin)')
    .option('--hint <key=value>', 'SQL setting, repeatable (e.g. --hint odps.sql.type.system.odps2=true)', collectHint)
    .addOption(new Option('--format <format>', 'result format (default: table on a terminal, csv otherwise)').choices([...ROW_FORMATS]))
    .option('-o, --output <file>', 'write the result to a file instead of stdout')
    .addOption(new Option('--binary <encoding>', 'how BINARY values are written').choices(['base64', 'hex']).default('base64'))
    .option('--no-header', 'CSV without the header row')
    .option('--delimiter <char>', 'CSV field separator (default ","; "tab" for TSV)', delimiter)
    .option('-x, --vertical', 'one "column | value" block per row (like psql \\x), for wide rows')
    .action(commandAction<SqlOptions>(io, async (ctx, args, opts) => (await import('./sql.js')).run(ctx, args[0], opts)));
}
