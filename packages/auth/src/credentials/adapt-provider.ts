// Adapts an @alicloud/credentials client or provider, or any credential function, to a CredentialLoader.

import { CredentialsError, describeFailure } from '../errors.js';
import { normalizeCredentials } from './normalize.js';
import { snapshot, type CredentialLoader } from './provided-credentials.js';

/** Fields a provider may return (camelCase or PascalCase fields, or getter methods). */
export interface CredentialsLike {
  accessKeyId?: string;
  accessKeySecret?: string;
  securityToken?: string;
  /** Date, ISO-8601 text or epoch seconds/milliseconds. */
  expiration?: Date | string | number;
  [extra: string]: unknown;
}

/** The @alicloud/credentials `Credential` client, or anything with getCredential(). */
export interface CredentialClientLike {
  getCredential(): Promise<unknown> | unknown;
}

/** An @alicloud/credentials provider (StaticSTSCredentialsProvider, URICredentialsProvider, ...). */
export interface CredentialsProviderLike {
  getCredentials(): Promise<unknown> | unknown;
  getProviderName?(): string;
}

export type CredentialFunction = () => Promise<CredentialsLike> | CredentialsLike;

export type CredentialProviderInput = CredentialClientLike | CredentialsProviderLike | CredentialFunction;

function nameOf(provider: object): string {
  const named = provider as { getProviderName?: unknown; getType?: unknown };
  try {
    if (typeof named.getProviderName === 'function') return String((named.getProviderName as () => unknown).call(provider));
    if (typeof named.getType === 'function') return String((named.getType as () => unknown).call(provider));
  } catch {
    // a name is cosmetic
  }
  const ctor = (provider as { constructor?: { name?: string } }).constructor?.name;
  return ctor && ctor !== 'Object' && ctor !== 'Function' ? ctor : 'custom';
}

/** Wraps the input as a loader; each call asks the provider once. */
export function adaptProvider(provider: CredentialProviderInput): CredentialLoader {
  let call: () => unknown;
  let name: string;
  if (typeof provider === 'function') {
    call = provider;
    name = provider.name ? `function ${provider.name}` : 'function';
  } else if (provider !== null && typeof provider === 'object' && typeof (provider as CredentialClientLike).getCredential === 'function') {
    // Prefer getCredential() like PyODPS: on the library client it returns the whole model at once.
    call = () => (provider as CredentialClientLike).getCredential();
    name = nameOf(provider);
  } else if (provider !== null && typeof provider === 'object' && typeof (provider as CredentialsProviderLike).getCredentials === 'function') {
    call = () => (provider as CredentialsProviderLike).getCredentials();
    name = nameOf(provider);
  } else {
    throw new TypeError('CredentialProviderAccount: provider must be a function or have getCredential()/getCredentials()');
  }
  const source = `provider(${name})`;
  return async () => {
    let raw: unknown;
    try {
      raw = await call();
    } catch (err) {
      throw new CredentialsError('CredentialsFetchFailed', `${source} failed: ${describeFailure(err)}`);
    }
    const credentials = await normalizeCredentials(raw, source);
    // Without an expiration we cannot tell when the provider rotates (the library caches and refreshes
    // internally), so ask it on every use, as PyODPS does; single flight still coalesces bursts.
    return { credentials: snapshot(credentials), source, reuseForMs: 0 };
  };
}
