// Per-request view handed to route handlers: decoded path params and query, caller, body, reply helpers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from './auth/principal.js';
import type { EmulatorContext } from './context.js';
import { EmulatorHttpError } from './errors.js';
import type { RouteService } from './router.js';
import { formatHttpDate } from './time-format.js';
import { type Raw, xmlDocument } from './xml.js';

export class RequestContext {
  /** Request body (buffered routes); empty for bodiless requests and stream routes. */
  body: Buffer = Buffer.alloc(0);
  /** The authenticated caller (anonymous for public routes). */
  principal: Principal = { kind: 'anonymous' };
  /** Response-size fault for this request (tunnel download routes may consult it; the server also enforces it). */
  resetAfterBytes: number | undefined;

  constructor(
    readonly emu: EmulatorContext,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly requestId: string,
    readonly method: string,
    readonly service: RouteService,
    /** Decoded path segments of the whole path, service prefix included. */
    readonly segments: string[],
    /** Query decoded once (form semantics: `+` is a space); bare keys map to ''. First occurrence wins. */
    readonly query: Map<string, string>,
    readonly params: Record<string, string> = {},
  ) {}

  has(key: string): boolean {
    return this.query.has(key);
  }

  q(key: string): string | undefined {
    return this.query.get(key);
  }

  header(name: string): string | undefined {
    const v = this.req.headers[name.toLowerCase()];
    return Array.isArray(v) ? v.join(',') : v;
  }

  bodyText(): string {
    return this.body.toString('utf8');
  }

  /** Path param that the route pattern guarantees. */
  param(name: string): string {
    const v = this.params[name];
    if (v === undefined) throw new EmulatorHttpError(500, 'InternalServerError', `route has no parameter ${name}`);
    return v;
  }

  /** Headers every emulator response carries. */
  baseHeaders(): Record<string, string> {
    return {
      'x-odps-request-id': this.requestId,
      Date: formatHttpDate(this.emu.now()),
      Server: 'odps-ts-emulator',
    };
  }

  send(status: number, body: string | Buffer, contentType: string | undefined, headers: Record<string, string> = {}): void {
    const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    const all: Record<string, string> = { ...this.baseHeaders(), ...headers, 'Content-Length': String(payload.length) };
    if (contentType && payload.length > 0) all['Content-Type'] = contentType;
    this.res.writeHead(status, all);
    if (this.method === 'HEAD') this.res.end();
    else this.res.end(payload);
  }

  sendXml(root: Raw, headers: Record<string, string> = {}, status = 200): void {
    this.send(status, xmlDocument(root), 'application/xml', headers);
  }

  sendJson(value: unknown, headers: Record<string, string> = {}, status = 200): void {
    this.send(status, JSON.stringify(value), 'application/json', headers);
  }

  sendText(text: string, headers: Record<string, string> = {}, status = 200): void {
    this.send(status, text, 'text/plain', headers);
  }

  sendEmpty(status = 200, headers: Record<string, string> = {}): void {
    this.send(status, Buffer.alloc(0), undefined, headers);
  }
}
