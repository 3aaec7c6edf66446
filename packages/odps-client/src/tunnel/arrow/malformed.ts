// Typed errors for Arrow payloads whose structure cannot be trusted (checked before apache-arrow reads it).
import { TunnelError } from '../../errors.js';

/** The payload breaks the Arrow IPC rules or our schema's layout: never a transport hiccup, no retry. */
export function malformedArrow(why: string): TunnelError {
  return new TunnelError(`malformed Arrow payload: ${why}`, { code: 'MalformedArrowStream' });
}

/** The payload ended inside a message (CRCs were fine, so the sender cut it; worth one more read). */
export function truncatedArrow(why: string): TunnelError {
  return new TunnelError(`Arrow payload ended inside ${why}`, { code: 'TruncatedStream' });
}
