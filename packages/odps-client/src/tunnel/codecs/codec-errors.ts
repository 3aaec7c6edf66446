// Typed errors of the tunnel body codecs: corrupt data is final, a stream cut short may be reopened.
import { TunnelError } from '../../errors.js';

/** The compressed body is not valid for its Content-Encoding (never retried). */
export function corrupt(codec: string, why: string, cause?: unknown): TunnelError {
  return new TunnelError(`tunnel body decompression failed (${codec}): ${why}`, cause === undefined ? { code: 'DecompressionError' } : { code: 'DecompressionError', cause });
}

/**
 * The compressed body ended inside a frame. Its code counts as a broken transfer (like a truncated
 * deflate stream), so a download reopens from its cursor.
 */
export function truncated(codec: string): TunnelError {
  return new TunnelError(`tunnel body ended inside a ${codec} frame`, { code: 'TruncatedStream' });
}
