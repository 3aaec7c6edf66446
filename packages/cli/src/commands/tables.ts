// `odps tables`: list the project's tables (prefix/owner/type filters).
import { Option, type Command } from 'commander';
import type { TableType } from '@odps-ts/odps-client';
import { commandAction } from '../command-action.js';
import type { CliIo, CommandContext } from '../context.js';
import { listText, writeJson } from '../output/text-lines.js';

interface TablesOptions {
  prefix?: string;
  owner?: string;
  type?: TableType;
  json?: boolean;
}

async function run(ctx: CommandContext, opts: TablesOptions): Promise<void> {
  const odps = ctx.client();
  const items = [];
  const list = odps.tables.list({ extended: true, ...(opts.prefix ? { prefix: opts.prefix } : {}), ...(opts.owner ? { owner: opts.owner } : {}), ...(opts.type ? { type: opts.type } : {}) });
  for await (const t of list) items.push(t);
  if (opts.json) {
    writeJson(ctx, items);
    return;
  }
  ctx.io.stdout.write(listText(ctx, ['name', 'type', 'owner', 'comment', 'last modified'], items.map((t) => [t.name, t.type ?? null, t.owner ?? null, t.comment ?? null, t.lastModifiedTime ?? null])));
}

export function registerTables(program: Command, io: CliIo): void {
  program
    .command('tables')
    .description('list tables of the project (TSV off a terminal: name, type, owner, comment, last modified)')
    .option('--prefix <text>', 'only tables whose name starts with <text>')
    .option('--owner <account>', 'only tables owned by <account>, e.g. ALIYUN$me@example.com')
    .addOption(new Option('--type <type>', 'only tables of this type').choices(['MANAGED_TABLE', 'VIRTUAL_VIEW', 'EXTERNAL_TABLE', 'MATERIALIZED_VIEW']))
    .option('--json', 'JSON array of table summaries')
    .action(commandAction<TablesOptions>(io, (ctx, _args, opts) => run(ctx, opts)));
}
