// `odps whoami` as the user sees it (options, help); its code is in whoami.ts, loaded only when the command runs.
import type { Command } from 'commander';
import { commandAction } from '../command-action.js';
import type { CliIo } from '../context.js';
import type { WhoamiOptions } from './whoami.js';

export function registerWhoami(program: Command, io: CliIo): void {
  program
    .command('whoami')
    .description('show the resolved endpoint, project and credentials and which source each came from (never secrets)')
    .option('--json', 'machine-readable output')
    .option('--no-check', 'do not contact the server to verify the credentials')
    .action(commandAction<WhoamiOptions>(io, async (ctx, _args, opts) => (await import('./whoami.js')).run(ctx, opts)));
}
