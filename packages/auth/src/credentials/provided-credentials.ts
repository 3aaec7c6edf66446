// The internal provider shape every credential source is normalized to.

import type { Credentials } from '../types.js';

/** One fetch's result: a frozen snapshot plus what the cache needs to know about it. */
export interface ProvidedCredentials {
  credentials: Readonly<Credentials>;
  /** Short secret-free name of where it came from, e.g. 'credentials-uri'. */
  source: string;
  /**
   * Only for credentials without an expiration: how long they may be reused before asking the source
   * again (0 = ask on every use; undefined = forever, for static keys).
   */
  reuseForMs?: number;
}

/** An async provider: every call is one fetch. */
export type CredentialLoader = () => Promise<ProvidedCredentials>;

/** Freezes a snapshot so one signature can never see fields from two fetches. */
export function snapshot(c: Credentials): Readonly<Credentials> {
  const out: Credentials = { accessKeyId: c.accessKeyId, accessKeySecret: c.accessKeySecret };
  if (c.securityToken) out.securityToken = c.securityToken;
  if (c.expiration !== undefined) out.expiration = new Date(c.expiration.getTime());
  return Object.freeze(out);
}
