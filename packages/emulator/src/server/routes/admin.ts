// Emulator control under `/_emulator` (root-signed, exempt from faults): faults and reset.
import { EmulatorHttpError } from '../errors.js';
import type { FaultRule, FaultSettings } from '../faults/fault-rule.js';
import type { RequestContext } from '../request-context.js';
import type { Router } from '../router.js';

function jsonBody(ctx: RequestContext): unknown {
  const text = ctx.bodyText();
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new EmulatorHttpError(400, 'InvalidArgument', 'The faults body must be JSON.');
  }
}

function faultsState(ctx: RequestContext): unknown {
  return { rules: ctx.emu.faults.list(), clockSkewMs: ctx.emu.faults.clockSkewMs };
}

export function registerAdminRoutes(router: Router): void {
  router.add('admin', 'GET', '/faults', (ctx) => ctx.sendJson(faultsState(ctx)));
  router.add('admin', 'POST', '/faults', (ctx) => {
    const body = jsonBody(ctx);
    if (!body || typeof body !== 'object') throw new EmulatorHttpError(400, 'InvalidArgument', 'The faults body must be a JSON object or array.');
    try {
      ctx.emu.faults.set(body as FaultSettings | FaultRule | FaultRule[]);
    } catch (err) {
      throw new EmulatorHttpError(400, 'InvalidArgument', `Bad fault settings: ${(err as Error).message}`);
    }
    ctx.sendJson(faultsState(ctx));
  });
  router.add('admin', 'DELETE', '/faults', (ctx) => {
    ctx.emu.faults.clear();
    ctx.sendJson(faultsState(ctx));
  });
  router.add('admin', 'POST', '/reset', (ctx) => {
    ctx.emu.faults.clear();
    ctx.emu.instances.reset();
    ctx.emu.credentials.reset();
    for (const hook of ctx.emu.resetHooks) hook();
    ctx.sendJson({ reset: true });
  });
}
