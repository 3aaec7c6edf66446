// The HTTP transport: URL building, signing on every attempt, retries, clock skew and typed errors.
import { Readable } from 'node:stream';
import { Agent, type Dispatcher } from 'undici';
import { NetworkError, type OdpsError } from '../errors.js';
import type { Account, SignOptions } from './account.js';
import { encodePath, encodeQuery } from './encode.js';
import { errorFromResponse, retryAfterMs } from './error-body.js';
import { endChannel, redactHeaders, retryChannel, startChannel, type Logger, type RequestEndEvent, type RequestRetryEvent, type RequestStartEvent } from './observe.js';
import { dumpBody, makeResponse, normalizeHeaders, readCapped } from './response.js';
import { authRecovery, backoffDelay, DEFAULT_RETRY, errorCode, isConnectError, isRetryableStatus, isTransientNetworkError, type RetryOptions } from './retry.js';
import { abortReason, sleep, throwIfAborted } from './sleep.js';
import type { HttpResponse, RequestSpec } from './types.js';

/** Socket timeouts of the transport, in milliseconds (see `OdpsOptions.timeouts`). */
export interface TimeoutOptions {
  /** TCP/TLS connect (default 10 s). Only applies to the transport's own Agent. */
  connectMs: number;
  /** Until response headers arrive (default 120 s; blocking status calls hold ~5 s). */
  headersMs: number;
  /** Between body chunks (default 300 s). */
  bodyMs: number;
}

export const DEFAULT_TIMEOUTS: TimeoutOptions = { connectMs: 10_000, headersMs: 120_000, bodyMs: 300_000 };

export interface TransportOptions {
  account: Account;
  /** REST endpoint, e.g. https://service.cn-hangzhou.maxcompute.aliyun.com/api */
  endpoint: string;
  /** Default project: sent as `curr_project` on every request. */
  project?: string;
  /** Where `service: 'tunnel'` requests go; resolved lazily. */
  resolveTunnelEndpoint?: (signal?: AbortSignal) => Promise<string>;
  signatureVersion?: 'v2' | 'v4';
  region?: string;
  namespaceId?: string;
  dispatcher?: Dispatcher;
  retry?: Partial<RetryOptions>;
  timeouts?: Partial<TimeoutOptions>;
  userAgent: string;
  logger?: Logger;
  /** Max sockets per origin for the own Agent (default 16). */
  connections?: number;
}

const MAX_ERROR_BODY_BYTES = 1024 * 1024;

function isAsyncIterable(x: unknown): x is AsyncIterable<Uint8Array> {
  return typeof x === 'object' && x !== null && !(x instanceof Uint8Array) && Symbol.asyncIterator in x;
}

export class Transport {
  readonly endpoint: string;
  readonly project?: string;
  readonly retry: RetryOptions;
  readonly timeouts: TimeoutOptions;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  /** Server time minus local time, learnt from a clock-skew answer. */
  private offsetMs = 0;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: TransportOptions) {
    this.endpoint = options.endpoint.replace(/\/$/, '');
    if (options.project !== undefined) this.project = options.project;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.ownsDispatcher = options.dispatcher === undefined;
    this.dispatcher = options.dispatcher ?? new Agent({
      connect: { timeout: this.timeouts.connectMs },
      headersTimeout: this.timeouts.headersMs,
      bodyTimeout: this.timeouts.bodyMs,
      keepAliveTimeout: 30_000,
      connections: options.connections ?? 16,
    });
  }

  get account(): Account {
    return this.options.account;
  }

  /** Current clock correction (server minus local), in milliseconds. */
  get clockOffsetMs(): number {
    return this.offsetMs;
  }

  /** Local clock plus the learnt skew: the time we put in `Date`. */
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Close the own Agent (an injected dispatcher is left to its owner). */
  close(): Promise<void> {
    // Idempotent: a second close (e.g. in a finally after an explicit close) must not throw ClientDestroyedError.
    this.closing ??= this.ownsDispatcher ? this.dispatcher.close() : Promise.resolve();
    return this.closing;
  }

  private async baseFor(spec: RequestSpec): Promise<string> {
    if (spec.endpoint) return spec.endpoint.replace(/\/$/, '');
    if ((spec.service ?? 'rest') === 'rest') return this.endpoint;
    if (!this.options.resolveTunnelEndpoint) throw new NetworkError('no tunnel endpoint configured', { code: 'NoTunnelEndpoint' });
    return (await this.options.resolveTunnelEndpoint(spec.signal)).replace(/\/$/, '');
  }

  async request(spec: RequestSpec): Promise<HttpResponse> {
    const { method, signal } = spec;
    const service = spec.service ?? 'rest';
    const base = await this.baseFor(spec);
    const baseUrl = new URL(base);
    const logicalPath = encodePath(spec.path);
    const query = { ...(this.project && !spec.noCurrProject ? { curr_project: this.project } : {}), ...spec.query };
    const wirePath = baseUrl.pathname.replace(/\/$/, '') + logicalPath + encodeQuery(query);
    const url = baseUrl.origin + wirePath;
    const streaming = isAsyncIterable(spec.body);
    const idempotent = !streaming && (spec.idempotent ?? method !== 'POST');
    const signOptions: SignOptions = { endpoint: base };
    if (this.options.signatureVersion) signOptions.signatureVersion = this.options.signatureVersion;
    if (this.options.region) signOptions.region = this.options.region;

    let conflictBudgetUsed = 0;
    let skewFixed = false;
    let credentialsRefreshed = false;
    for (let attempt = 1; ; attempt++) {
      throwIfAborted(signal);
      const headers = await this.signedHeaders(spec, url, signOptions);
      const event: RequestStartEvent = { method, service, path: logicalPath, attempt };
      if (startChannel.hasSubscribers) startChannel.publish(event);
      this.options.logger?.debug('odps request', { ...event, headers: redactHeaders(headers) });
      const started = performance.now();
      let body: string | Uint8Array | Readable | undefined;
      if (streaming) body = Readable.from(spec.body as AsyncIterable<Uint8Array>);
      else body = (spec.body as string | Uint8Array | undefined) ?? (method === 'POST' || method === 'PUT' ? '' : undefined);

      let res: Dispatcher.ResponseData;
      try {
        res = await this.dispatcher.request({
          origin: baseUrl.origin, path: wirePath, method, headers, body: body ?? null, signal: signal ?? null,
          headersTimeout: this.timeouts.headersMs, bodyTimeout: this.timeouts.bodyMs,
        });
      } catch (err) {
        const code = errorCode(err) ?? 'NetworkError';
        this.emitEnd({ ...event, durationMs: performance.now() - started, errorCode: code });
        if (signal?.aborted) throw abortReason(signal);
        const retryable = !streaming && attempt < this.retry.maxAttempts && (isConnectError(err) || (idempotent && isTransientNetworkError(err)));
        if (!retryable) {
          throw new NetworkError(`request failed without an HTTP answer (${code})`, { code, method, path: logicalPath, cause: err });
        }
        await this.waitBeforeRetry({ ...event, reason: code, delayMs: backoffDelay(attempt, this.retry) }, signal);
        continue;
      }

      const status = res.statusCode;
      const resHeaders = normalizeHeaders(res.headers as Record<string, string | string[] | undefined>);
      const ok = spec.expectStatus ? spec.expectStatus.includes(status) : status >= 200 && status < 300;
      const requestId = resHeaders['x-odps-request-id'];
      const endEvent: RequestEndEvent = { ...event, status, durationMs: performance.now() - started };
      if (requestId) endEvent.requestId = requestId;
      if (ok) {
        this.emitEnd(endEvent);
        return makeResponse(status, resHeaders, res.body);
      }

      let text = '';
      try {
        text = Buffer.from(await readCapped(res.body, MAX_ERROR_BODY_BYTES)).toString('utf8');
      } catch {
        await dumpBody(res.body);
      }
      const error = errorFromResponse({ status, headers: resHeaders, body: text, method, path: logicalPath });
      this.emitEnd({ ...endEvent, errorCode: error.code });
      if (streaming) throw error;

      const recovery = status < 500 ? authRecovery(error, resHeaders, this.now().getTime()) : undefined;
      if (recovery?.kind === 'skew' && !skewFixed) {
        skewFixed = true;
        this.offsetMs = recovery.serverTimeMs - Date.now();
        this.options.logger?.warn('clock skew corrected from the server Date header', { offsetMs: this.offsetMs });
        await this.waitBeforeRetry(this.retryEvent(event, 'ClockSkew', 0, error), signal);
        continue;
      }
      if (recovery?.kind === 'credentials' && !credentialsRefreshed && this.options.account.invalidate) {
        credentialsRefreshed = true;
        this.options.account.invalidate();
        await this.waitBeforeRetry(this.retryEvent(event, 'CredentialsExpired', 0, error), signal);
        continue;
      }
      const ra = retryAfterMs(resHeaders);
      if (status === 409 && spec.retryOnConflict && ra !== undefined) {
        const wait = Math.min(ra, this.retry.maxDelayMs);
        // Each round counts at least 1 s against the budget so `Retry-After: 0` cannot loop forever.
        conflictBudgetUsed += Math.max(wait, 1000);
        if (conflictBudgetUsed <= this.retry.conflictMaxWaitMs) {
          await this.waitBeforeRetry(this.retryEvent(event, 'Conflict', wait, error), signal);
          continue;
        }
      }
      if (idempotent && attempt < this.retry.maxAttempts && isRetryableStatus(status, error)) {
        const delay = ra !== undefined ? Math.min(ra, this.retry.maxDelayMs) : backoffDelay(attempt, this.retry);
        await this.waitBeforeRetry(this.retryEvent(event, error.code, delay, error), signal);
        continue;
      }
      throw error;
    }
  }

  private retryEvent(event: RequestStartEvent, reason: string, delayMs: number, error: OdpsError): RequestRetryEvent {
    const out: RequestRetryEvent = { ...event, reason, delayMs };
    if (error.status !== undefined) out.status = error.status;
    if (error.requestId !== undefined) out.requestId = error.requestId;
    return out;
  }

  private async waitBeforeRetry(event: RequestRetryEvent, signal: AbortSignal | undefined): Promise<void> {
    if (retryChannel.hasSubscribers) retryChannel.publish(event);
    this.options.logger?.warn('odps request retry', { ...event });
    if (event.delayMs > 0) await sleep(event.delayMs, signal);
  }

  private emitEnd(event: RequestEndEvent): void {
    if (endChannel.hasSubscribers) endChannel.publish(event);
    this.options.logger?.debug('odps response', { ...event });
  }

  /** Fresh Date (local clock + skew) and a fresh signature for this attempt. */
  private async signedHeaders(spec: RequestSpec, url: string, signOptions: SignOptions): Promise<Record<string, string>> {
    const headers: Record<string, string> = {
      'x-odps-user-agent': this.options.userAgent,
      'User-Agent': this.options.userAgent,
      ...spec.headers,
      Date: this.now().toUTCString(),
    };
    if (this.options.namespaceId) headers['x-odps-namespace-id'] = this.options.namespaceId;
    const added = await this.options.account.authorize({ method: spec.method, url, headers: { ...headers } }, signOptions);
    return { ...headers, ...added };
  }
}
