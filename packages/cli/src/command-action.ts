// Glue between commander actions and our commands: builds the context, always closes the client.
import type { Command } from 'commander';
import type { CliIo, CommandContext, ContextFlags } from './context.js';

export type Handler<O> = (ctx: CommandContext, args: string[], opts: O) => Promise<void>;

/**
 * Wrap a handler as a commander action: `(...positionals, options, command)`. The context (and with it the
 * client library) is imported only when a command runs, so registering commands costs nothing.
 */
export function commandAction<O>(io: CliIo, handler: Handler<O>): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    const positionals = args.slice(0, -2).flatMap((a) => (Array.isArray(a) ? (a as string[]) : a === undefined ? [] : [String(a)]));
    const all = cmd.optsWithGlobals() as ContextFlags;
    const { CommandContext } = await import('./context.js');
    const ctx = new CommandContext(io, all);
    try {
      await handler(ctx, positionals, cmd.opts() as O);
    } finally {
      await ctx.close();
    }
  };
}
