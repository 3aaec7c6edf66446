// Shared harness of the reliability suite: emulator + client wiring, secret capture, request counting, handle checks.
import diagnostics_channel from 'node:diagnostics_channel';
import { CredentialProviderAccount } from '@odps-ts/auth';
import {
  CHANNEL_END, CHANNEL_RETRY, CHANNEL_START, ODPS,
  type Logger, type OdpsOptions, type RequestEndEvent, type RequestRetryEvent, type RequestStartEvent, type SigningAccount,
} from '@odps-ts/odps-client';
import { startEmulator, type Emulator, type StartEmulatorOptions } from '@odps-ts/emulator';

/** A distinctive root secret: any appearance of it in a log line, event or error is a leak. */
export const ROOT_SECRET = 'Rel1ab1l1tyRootSecret-Zq7xW9vK2mP4';
export const ROOT_KEY_ID = 'reliability-key-id';

/** One line of what the emulator handled: method, raw URL (query included) and status. */
export interface ServerRequest {
  method: string;
  path: string;
  status: number;
}

/** Everything observable that a client run emitted: logger lines, diagnostics events, errors. */
export class Observed {
  readonly logLines: string[] = [];
  readonly starts: RequestStartEvent[] = [];
  readonly ends: RequestEndEvent[] = [];
  readonly retries: RequestRetryEvent[] = [];
  readonly errors: unknown[] = [];
  /** Secrets seen in use (root secret, STS secrets and tokens, Authorization signatures). */
  readonly secrets = new Set<string>([ROOT_SECRET]);

  private readonly onStart = (m: unknown): void => {
    this.starts.push(m as RequestStartEvent);
  };
  private readonly onEnd = (m: unknown): void => {
    this.ends.push(m as RequestEndEvent);
  };
  private readonly onRetry = (m: unknown): void => {
    this.retries.push(m as RequestRetryEvent);
  };

  constructor() {
    diagnostics_channel.subscribe(CHANNEL_START, this.onStart);
    diagnostics_channel.subscribe(CHANNEL_END, this.onEnd);
    diagnostics_channel.subscribe(CHANNEL_RETRY, this.onRetry);
  }

  dispose(): void {
    diagnostics_channel.unsubscribe(CHANNEL_START, this.onStart);
    diagnostics_channel.unsubscribe(CHANNEL_END, this.onEnd);
    diagnostics_channel.unsubscribe(CHANNEL_RETRY, this.onRetry);
  }

  readonly logger: Logger = {
    debug: (m, d) => this.log('debug', m, d),
    info: (m, d) => this.log('info', m, d),
    warn: (m, d) => this.log('warn', m, d),
    error: (m, d) => this.log('error', m, d),
  };

  private log(level: string, message: string, data?: Record<string, unknown>): void {
    this.logLines.push(`${level} ${message} ${safeJson(data)}`);
  }

  /** Remember an error a client call produced (its message, cause chain and fields are checked later). */
  error<T>(e: T): T {
    this.errors.push(e);
    return e;
  }

  /** Rejections are recorded and returned, so `const err = await observed.failure(p)` then assertions. */
  async failure(p: Promise<unknown>): Promise<unknown> {
    try {
      await p;
    } catch (e) {
      return this.error(e);
    }
    throw new Error('expected the call to fail, it succeeded');
  }

  /** Start events of requests whose logical path contains `path` (and method, when given). */
  count(path: string, method?: string): number {
    return this.starts.filter((s) => s.path.includes(path) && (method === undefined || s.method === method)).length;
  }

  /** All captured text: log lines, event payloads, and every error's message, stack, fields and causes. */
  transcript(): string {
    const parts = [...this.logLines, ...this.starts.map(safeJson), ...this.ends.map(safeJson), ...this.retries.map(safeJson)];
    for (const e of this.errors) parts.push(describeError(e));
    return parts.join('\n');
  }

  /** Secrets (longer than 7 chars) found anywhere in the transcript; the caller expects []. */
  leaks(): string[] {
    const text = this.transcript();
    return [...this.secrets].filter((s) => s.length > 7 && text.includes(s)).map((s) => `${s.slice(0, 3)}… (${s.length} chars)`);
  }
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)) ?? '';
  } catch {
    return String(v);
  }
}

function describeError(e: unknown, depth = 0): string {
  if (depth > 5 || e === null || e === undefined) return '';
  if (!(e instanceof Error)) return String(e);
  const fields = Object.fromEntries(Object.entries(e).filter(([k]) => k !== 'cause'));
  return [e.name, e.message, e.stack ?? '', safeJson(fields), describeError((e as { cause?: unknown }).cause, depth + 1)].join(' | ');
}

/** Wraps an account so every signature and the credentials behind it are added to the secret list. */
export class RecordingAccount implements SigningAccount {
  constructor(private readonly inner: SigningAccount & { getCredentials?: () => Promise<{ accessKeySecret: string; securityToken?: string }> }, private readonly observed: Observed) {}

  async authorize(request: Parameters<SigningAccount['authorize']>[0], options: Parameters<SigningAccount['authorize']>[1]): Promise<Record<string, string>> {
    const headers = await this.inner.authorize(request, options);
    for (const [k, v] of Object.entries(headers)) {
      const name = k.toLowerCase();
      if (name === 'authorization') {
        // "ODPS <keyId>:<signature>" (v2) or the v4 form: the part after the last ':' is the signature.
        const sig = v.slice(v.lastIndexOf(':') + 1).trim();
        if (sig) this.observed.secrets.add(sig);
      } else if (name.includes('token') || name.includes('authentication')) {
        this.observed.secrets.add(v);
      }
    }
    if (this.inner.getCredentials) {
      const c = await this.inner.getCredentials();
      this.observed.secrets.add(c.accessKeySecret);
      if (c.securityToken) this.observed.secrets.add(c.securityToken);
    }
    return headers;
  }

  invalidate(): void {
    this.inner.invalidate?.();
  }

  describe(): string {
    return this.inner.describe?.() ?? 'RecordingAccount';
  }
}

export interface Harness {
  emu: Emulator;
  observed: Observed;
  server: ServerRequest[];
  /** A client on STS credentials from the emulator's credentials URI, logging into `observed`. */
  client(extra?: Partial<OdpsOptions>): { odps: ODPS; account: CredentialProviderAccount };
  /** A client on the root AccessKey pair. */
  rootClient(extra?: Partial<OdpsOptions>): ODPS;
  /** Requests the emulator saw whose raw URL matches. */
  serverCount(method: string, re: RegExp): number;
  /** Close every client made so far (to measure sockets from a clean baseline). */
  closeClients(): Promise<void>;
  close(): Promise<void>;
}

/** Fast, deterministic retry settings for tests. */
export const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 40, maxAttempts: 4 };

export async function startHarness(opts: StartEmulatorOptions = {}): Promise<Harness> {
  const server: ServerRequest[] = [];
  const emu = await startEmulator({
    port: 0,
    accessKeyId: ROOT_KEY_ID,
    accessKeySecret: ROOT_SECRET,
    logger: {
      debug: (message, fields) => {
        if (message === 'request' && fields) server.push({ method: String(fields['method']), path: String(fields['path']), status: Number(fields['status']) });
      },
    },
    ...opts,
  });
  const observed = new Observed();
  const clients: ODPS[] = [];
  const base = (account: SigningAccount, extra: Partial<OdpsOptions>): ODPS => {
    const odps = new ODPS({
      account: new RecordingAccount(account, observed),
      project: emu.project,
      endpoint: emu.endpoint,
      tunnelEndpoint: emu.tunnelEndpoint,
      retry: FAST_RETRY,
      logger: observed.logger,
      ...extra,
    });
    clients.push(odps);
    return odps;
  };
  return {
    emu,
    observed,
    server,
    client(extra = {}) {
      const account = new CredentialProviderAccount(undefined, { credentialsUri: emu.credentialsUri, libraryChain: false, env: {} });
      return { odps: base(account, extra), account };
    },
    rootClient(extra = {}) {
      // The root pair is wrapped in a provider so RecordingAccount can see its secret too.
      const account = new CredentialProviderAccount(async () => ({ accessKeyId: ROOT_KEY_ID, accessKeySecret: ROOT_SECRET }));
      return base(account, extra);
    },
    serverCount(method, re) {
      return server.filter((r) => r.method === method && re.test(r.path)).length;
    },
    async closeClients() {
      await Promise.all(clients.map((c) => c.close()));
    },
    async close() {
      await Promise.all(clients.map((c) => c.close()));
      observed.dispose();
      await emu.close();
    },
  };
}

/** Open TCP sockets of this process (client and in-process server sides both count). */
export function openSockets(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
}

/** Waits (bounded) until the socket count drops to `target` or below; returns the last count. */
export async function settleSockets(target: number, timeoutMs = 3000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let n = openSockets();
  while (n > target && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
    n = openSockets();
  }
  return n;
}

/** Rejects when `p` does not settle within `ms` (a hang is a failure, not a stuck suite). */
export async function within<T>(ms: number, p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** True for the error an aborted operation rejects with (the signal's reason or a DOMException AbortError). */
export function isAbort(e: unknown, reason?: unknown): boolean {
  if (reason !== undefined && e === reason) return true;
  return e instanceof Error && (e.name === 'AbortError' || e.name === 'TimeoutError');
}
