// `odps whoami`: the resolved configuration (URL passwords masked), which source won for each setting, and a server check.
import { CredentialProviderAccount } from '@odps-ts/auth';
import type { CommandContext } from '../context.js';
import { renderTable } from '../output/table.js';
import { redactSecrets, redactUrl } from '../redact.js';

export interface WhoamiOptions {
  json?: boolean;
  check?: boolean;
}

/** The first 4 characters of a key id, the rest masked: enough to recognize, not enough to use. */
export function maskKeyId(id: string): string {
  return id.length <= 4 ? '****' : `${id.slice(0, 4)}****`;
}

export async function run(ctx: CommandContext, opts: WhoamiOptions): Promise<void> {
  const c = ctx.config();
  const account = c.credentials.account;
  let keyId: string | undefined;
  let credError: string | undefined;
  // Failures are reported after the table (which is useful on its own) and then rethrown for the exit code.
  let failure: unknown;
  if (account instanceof CredentialProviderAccount) {
    try {
      keyId = maskKeyId((await account.getCredentials()).accessKeyId);
    } catch (err) {
      credError = redactSecrets((err as Error).message);
      failure = err;
    }
  }
  let server: { ok: boolean; detail: string } | undefined;
  if (opts.check !== false && !credError) {
    try {
      const p = await ctx.client().projects.get(c.project.value);
      server = { ok: true, detail: `project ${p.name}${p.owner ? ` owned by ${p.owner}` : ''}` };
    } catch (err) {
      server = { ok: false, detail: redactSecrets((err as Error).message) };
      failure = err;
    }
  }
  const rows: [string, string | undefined, string | undefined][] = [
    ['endpoint', redactUrl(c.endpoint.value), c.endpoint.source],
    ['project', c.project.value, c.project.source],
    ['tunnel endpoint', c.tunnelEndpoint ? redactUrl(c.tunnelEndpoint.value) : '(discovered from the service)', c.tunnelEndpoint?.source],
    ['logview host', c.logviewHost ? redactUrl(c.logviewHost.value) : '(discovered from the service)', c.logviewHost?.source],
    ['schema', c.schema?.value, c.schema?.source],
    ['region', c.region?.value, c.region?.source],
    ['credentials', account.describe?.() ?? 'account', c.credentials.source],
    ['access key id', keyId, undefined],
    ['config file', c.configFile ?? `none (looked in ${c.searched.join(', ')})`, undefined],
    ['server', server?.ok ? `ok (${server.detail})` : undefined, undefined],
  ];
  if (opts.json) {
    const out: Record<string, unknown> = {};
    for (const [k, value, source] of rows) if (value !== undefined && k !== 'server') out[k.replace(/ (\w)/g, (_, ch: string) => ch.toUpperCase())] = source ? { value, source } : value;
    if (credError) out['credentialsError'] = credError;
    if (server) out['server'] = server;
    ctx.io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    const lines = rows.filter(([, v]) => v !== undefined).map(([k, v, s]) => [k, v as string, s ?? '']);
    ctx.io.stdout.write(ctx.stdoutIsTTY ? renderTable(['setting', 'value', 'source'], lines, ctx.terminalWidth ? { maxWidth: ctx.terminalWidth } : {}) : lines.map((l) => `${l.join('\t')}\n`).join(''));
  }
  if (failure !== undefined) throw failure;
}
