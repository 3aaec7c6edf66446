// Waiting for an instance with a progress bar on a TTY and Ctrl-C stopping it (shared by sql and instance).
import type { Instance } from '@odps-ts/odps-client';
import type { CommandContext } from '../context.js';
import { InterruptedError } from '../errors.js';
import { onInterrupt } from '../progress/interrupt.js';
import { SqlProgressBar } from '../progress/sql-bar.js';

/** Print the instance id and logview link first (stderr, TTY only), so the user can follow it elsewhere. */
export async function announce(ctx: CommandContext, instance: Instance): Promise<void> {
  if (!ctx.showProgress || instance.isSynchronous || !instance.id) return;
  ctx.note(`instance: ${instance.id}`);
  try {
    ctx.note(`logview: ${await instance.logviewUrl()}`);
  } catch (err) {
    ctx.note(`logview: unavailable (${(err as Error).message})`);
  }
}

/** Wait for success; on Ctrl-C stop the instance on the server and raise InterruptedError. */
export async function waitWithProgress(ctx: CommandContext, instance: Instance): Promise<void> {
  const interrupt = onInterrupt((l) => ctx.note(l));
  const bar = ctx.showProgress ? new SqlProgressBar(ctx.io.stderr) : undefined;
  bar?.start();
  let state = 'Failed';
  try {
    await instance.waitForSuccess({ signal: interrupt.signal, pollInterval: 500, ...(bar ? { onProgress: (p) => bar.update(p) } : {}) });
    state = 'Success';
  } catch (err) {
    if (!interrupt.interrupted) throw err;
    state = 'Stopping';
    bar?.finish(state);
    await instance.stop();
    throw new InterruptedError(`stopped instance ${instance.id}`);
  } finally {
    if (state !== 'Stopping') bar?.finish(state);
    interrupt.dispose();
  }
}
