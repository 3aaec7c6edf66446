// `odps tables`: list the project's tables (prefix/owner/type filters).
import type { TableType } from '@odps-ts/odps-client';
import type { CommandContext } from '../context.js';
import { listText, writeJson } from '../output/text-lines.js';

export interface TablesOptions {
  prefix?: string;
  owner?: string;
  type?: TableType;
  json?: boolean;
}

export async function run(ctx: CommandContext, opts: TablesOptions): Promise<void> {
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
