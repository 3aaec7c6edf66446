// Observability: diagnostics_channel events and the optional logger, both fed only secret-free data.
import diagnostics_channel from 'node:diagnostics_channel';

/** Minimal logger shape (console, pino and winston fit); `data` is always secret-free. */
export interface Logger {
  debug(message: string, data?: Record<string, unknown>): void;
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

export const CHANNEL_START = 'odps-ts:request:start';
export const CHANNEL_END = 'odps-ts:request:end';
export const CHANNEL_RETRY = 'odps-ts:request:retry';

export const startChannel = diagnostics_channel.channel(CHANNEL_START);
export const endChannel = diagnostics_channel.channel(CHANNEL_END);
export const retryChannel = diagnostics_channel.channel(CHANNEL_RETRY);

/** Payload of `odps-ts:request:start`. */
export interface RequestStartEvent { method: string; service: string; path: string; attempt: number }
/** Payload of `odps-ts:request:end` (status absent when no HTTP answer came back). */
export interface RequestEndEvent extends RequestStartEvent { status?: number; requestId?: string; durationMs: number; errorCode?: string }
/** Payload of `odps-ts:request:retry`. */
export interface RequestRetryEvent extends RequestStartEvent { reason: string; delayMs: number; status?: number; requestId?: string }

const SECRET_HEADERS = new Set(['authorization', 'authorization-sts-token', 'x-odps-bearer-token', 'application-authentication', 'sts-authentication', 'sts-token']);

/** Copy of headers with every credential-bearing value replaced by `[redacted]`. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k] = SECRET_HEADERS.has(k.toLowerCase()) ? '[redacted]' : v;
  return out;
}
