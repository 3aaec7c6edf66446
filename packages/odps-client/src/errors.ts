// Typed errors raised by the client: one base class carrying the server's codes, subclasses per family.

export interface OdpsErrorInit {
  /** Class-like code (`NoSuchObject`, `InvalidParameter`, ...) or an ODPS code when that is all there is. */
  code?: string;
  /** Numeric ODPS code such as `ODPS-0130131`, when the server gave one. */
  odpsCode?: string;
  status?: number;
  requestId?: string;
  hostId?: string;
  method?: string;
  path?: string;
  cause?: unknown;
}

/** Base class of every error this package throws on purpose. `message` never contains secrets. */
export class OdpsError extends Error {
  override name = 'OdpsError';
  readonly code: string;
  readonly odpsCode?: string;
  readonly status?: number;
  readonly requestId?: string;
  readonly hostId?: string;
  readonly method?: string;
  readonly path?: string;
  /** The server's message without the request context appended to `message`. */
  readonly serverMessage: string;

  constructor(message: string, init: OdpsErrorInit = {}) {
    super(withContext(message, init), init.cause === undefined ? undefined : { cause: init.cause });
    this.serverMessage = message;
    this.code = init.code ?? init.odpsCode ?? 'OdpsError';
    if (init.odpsCode !== undefined) this.odpsCode = init.odpsCode;
    if (init.status !== undefined) this.status = init.status;
    if (init.requestId !== undefined) this.requestId = init.requestId;
    if (init.hostId !== undefined) this.hostId = init.hostId;
    if (init.method !== undefined) this.method = init.method;
    if (init.path !== undefined) this.path = init.path;
  }
}

function withContext(message: string, init: OdpsErrorInit): string {
  const parts: string[] = [];
  if (init.method && init.path) parts.push(`${init.method} ${init.path}`);
  if (init.status !== undefined) parts.push(`HTTP ${init.status}`);
  if (init.requestId) parts.push(`request id ${init.requestId}`);
  const head = init.code && !message.startsWith(init.code) ? `${init.code}: ${message}` : message;
  return parts.length > 0 ? `${head} (${parts.join(', ')})` : head;
}

/** The object (project, schema, table, partition, instance...) does not exist. */
export class NoSuchObjectError extends OdpsError {
  override name = 'NoSuchObjectError';
}

/** Authentication or authorization failed (bad signature, expired credentials, no permission). */
export class AuthError extends OdpsError {
  override name = 'AuthError';
}

/** The server asked us to slow down (429, quota/QPS/flow exceeded). */
export class ThrottledError extends OdpsError {
  override name = 'ThrottledError';
  /** Milliseconds the server asked us to wait, when it said so. */
  readonly retryAfterMs?: number;
  constructor(message: string, init: OdpsErrorInit & { retryAfterMs?: number } = {}) {
    super(message, init);
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
  }
}

/** The request never got an HTTP answer (connection refused/reset, timeouts). */
export class NetworkError extends OdpsError {
  override name = 'NetworkError';
}

/** An SQL task failed; `message` is the server's task result text. */
export class SqlError extends OdpsError {
  override name = 'SqlError';
  readonly instanceId?: string;
  readonly taskName?: string;
  /** The raw task result text (error document or `ODPS-xxxxxxx:...` line). */
  readonly resultText?: string;
  constructor(message: string, init: OdpsErrorInit & { instanceId?: string; taskName?: string; resultText?: string } = {}) {
    super(message, init);
    if (init.instanceId !== undefined) this.instanceId = init.instanceId;
    if (init.taskName !== undefined) this.taskName = init.taskName;
    if (init.resultText !== undefined) this.resultText = init.resultText;
  }
}

/** A tunnel session or data transfer failed. */
export class TunnelError extends OdpsError {
  override name = 'TunnelError';
  constructor(message: string, init: { code?: string; requestId?: string; status?: number; cause?: unknown } = {}) {
    super(message, { code: init.code ?? 'TunnelError', ...rest(init) });
  }
}

function rest(init: { requestId?: string; status?: number; cause?: unknown }): OdpsErrorInit {
  const out: OdpsErrorInit = {};
  if (init.requestId !== undefined) out.requestId = init.requestId;
  if (init.status !== undefined) out.status = init.status;
  if (init.cause !== undefined) out.cause = init.cause;
  return out;
}

/** A CRC check over tunnel data did not match. */
export class ChecksumError extends TunnelError {
  override name = 'ChecksumError';
  readonly recordIndex?: number;
  constructor(message: string, init: { recordIndex?: number } = {}) {
    super(message, { code: 'ChecksumMismatch' });
    if (init.recordIndex !== undefined) this.recordIndex = init.recordIndex;
  }
}

/** A caller-supplied argument is invalid (identifier, partition spec, option). Raised before any request. */
export class OdpsArgumentError extends OdpsError {
  override name = 'OdpsArgumentError';
  constructor(message: string, code = 'InvalidArgument') {
    super(message, { code });
  }
}

/** A table/column/project/schema name cannot be used. */
export class InvalidIdentifierError extends OdpsArgumentError {
  override name = 'InvalidIdentifierError';
  constructor(message: string) {
    super(message, 'InvalidIdentifier');
  }
}

/** A partition spec could not be parsed or does not fit the table. */
export class InvalidPartitionSpecError extends OdpsArgumentError {
  override name = 'InvalidPartitionSpecError';
  constructor(message: string) {
    super(message, 'InvalidPartitionSpec');
  }
}

/** `waitForSuccess({ timeout })` ran out of time; the instance keeps running on the server. */
export class WaitTimeoutError extends OdpsError {
  override name = 'WaitTimeoutError';
  readonly instanceId: string;
  constructor(instanceId: string, timeoutMs: number) {
    super(`instance ${instanceId} did not finish within ${timeoutMs} ms`, { code: 'WaitTimeout' });
    this.instanceId = instanceId;
  }
}
