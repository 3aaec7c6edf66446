// The node:http request listener: parse, inject faults, authenticate, read the body, dispatch, render errors.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate } from './auth/authenticate.js';
import { bearerMayAccess } from './auth/bearer-access.js';
import type { EmulatorContext } from './context.js';
import { sendErrorResponse } from './error-response.js';
import { EmulatorHttpError, httpErrors } from './errors.js';
import { resetAfterBytes } from './faults/reset-after-bytes.js';
import { RequestContext } from './request-context.js';
import { type RouteService, type Router, SERVICE_PREFIX } from './router.js';

function newRequestId(): string {
  return randomBytes(12).toString('hex').toUpperCase();
}

function decodeComponent(text: string, form: boolean): string {
  try {
    return decodeURIComponent(form ? text.replace(/\+/g, ' ') : text);
  } catch {
    throw new EmulatorHttpError(400, 'InvalidArgument', 'ODPS-0420411:Invalid argument - malformed percent-encoding in the URL.');
  }
}

export function parseQuery(search: string): Map<string, string> {
  const query = new Map<string, string>();
  for (const item of search.split('&')) {
    if (item === '') continue;
    const eq = item.indexOf('=');
    const key = decodeComponent(eq < 0 ? item : item.slice(0, eq), true);
    const value = eq < 0 ? '' : decodeComponent(item.slice(eq + 1), true);
    if (!query.has(key)) query.set(key, value);
  }
  return query;
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  return out;
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  const tooLarge = () => new EmulatorHttpError(413, 'InvalidArgument', `ODPS-0420411:Invalid argument - request body exceeds ${limit} bytes.`);
  if (declared > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    total += buf.length;
    if (total > limit) throw tooLarge();
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Query text with values of secret-bearing parameters removed, for logs. */
function loggablePath(rawUrl: string): string {
  return rawUrl.replace(/([?&](?:token|AccessKeySecret|SecurityToken)=)[^&]*/gi, '$1***');
}

export function createRequestListener(emu: EmulatorContext, router: Router): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void handle(emu, router, req, res);
  };
}

async function handle(emu: EmulatorContext, router: Router, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = Date.now();
  const requestId = newRequestId();
  const method = (req.method ?? 'GET').toUpperCase();
  const rawUrl = req.url ?? '/';
  const qIndex = rawUrl.indexOf('?');
  const rawPath = qIndex < 0 ? rawUrl : rawUrl.slice(0, qIndex);
  let service: RouteService = 'public';
  try {
    // Before anything else: a page on another origin that rebinds its DNS name to this address must
    // get nothing, not even /credentials.
    if (!emu.hosts.allows(req.headers.host)) {
      throw new EmulatorHttpError(
        421,
        'InvalidArgument',
        'ODPS-0420411:Invalid argument - the Host header does not name this emulator (allow other names with --allowed-host or the allowedHosts option).',
      );
    }
    if (!rawPath.startsWith('/')) {
      throw new EmulatorHttpError(400, 'InvalidArgument', 'ODPS-0420411:Invalid argument - the request target must be an origin-form path.');
    }
    const segments = rawPath.split('/').filter((s) => s !== '').map((s) => decodeComponent(s, false));
    const query = parseQuery(qIndex < 0 ? '' : rawUrl.slice(qIndex + 1));
    const match = router.match(method, segments);
    service = match.kind === 'found' ? match.route.service : router.serviceOf(segments);

    let resetLimit: number | undefined;
    if (service !== 'admin') {
      const decision = emu.faults.decide(method, rawPath);
      if (decision.latencyMs > 0) await sleep(decision.latencyMs);
      if (decision.error) {
        const { status, code, message, headers } = decision.error;
        emu.logger.info('fault injected', { method, path: rawPath, status });
        throw new EmulatorHttpError(status, code, message, headers);
      }
      if (decision.resetAfterBytes !== undefined) {
        emu.logger.info('fault injected', { method, path: rawPath, resetAfterBytes: decision.resetAfterBytes });
        resetAfterBytes(res, decision.resetAfterBytes);
        resetLimit = decision.resetAfterBytes;
      }
    }

    const ctx = new RequestContext(emu, req, res, requestId, method, service, segments, query, match.kind === 'found' ? match.params : {});
    ctx.resetAfterBytes = resetLimit;
    if (service !== 'public') {
      const endpoint = service === 'rest' ? emu.urls.rest : emu.urls.base;
      ctx.principal = authenticate(emu, {
        method,
        rawUrl,
        headers: flatHeaders(req),
        endpoint,
        base: emu.urls.base,
        // Admin calls must work to undo a clock-skew fault, so they use the real clock.
        ...(service === 'admin' ? { now: new Date() } : {}),
      });
      if (service === 'admin' && ctx.principal.kind !== 'root') {
        throw new EmulatorHttpError(403, 'NoPermission', 'ODPS-0420095:Access Denied - emulator admin calls need the root access key.');
      }
      if (ctx.principal.kind === 'bearer') {
        const unprefixed = segments.slice(SERVICE_PREFIX[service].split('/').filter((x) => x !== '').length);
        if (!bearerMayAccess(ctx.principal.grant, method, unprefixed, query)) {
          throw new EmulatorHttpError(403, 'NoPermission', 'ODPS-0420095:Access Denied - the bearer token does not grant this request.');
        }
      }
    }

    if (match.kind === 'wrong-method') throw httpErrors.methodNotAllowed(method, rawPath);
    if (match.kind === 'none') throw httpErrors.noSuchRoute(rawPath);
    if (match.route.options.body !== 'stream') ctx.body = await readBody(req, emu.config.maxBodyBytes);
    await match.route.handler(ctx);
    if (!res.headersSent && !res.writableEnded) throw httpErrors.internal(`handler for ${match.route.pattern} sent no response`);
  } catch (err) {
    const error = err instanceof EmulatorHttpError ? err : httpErrors.internal(err instanceof Error ? err.message : String(err));
    if (!(err instanceof EmulatorHttpError)) emu.logger.error('handler failed', { method, path: rawPath, requestId, error: error.message });
    sendErrorResponse(res, { error, service, requestId, hostId: emu.urls.tunnelHost, now: emu.now(), method });
    // A body we did not read would otherwise stall keep-alive; drop it.
    if (!req.readableEnded) req.resume();
  } finally {
    emu.logger.debug('request', { method, path: loggablePath(rawUrl), status: res.statusCode, ms: Date.now() - started, requestId });
  }
}
