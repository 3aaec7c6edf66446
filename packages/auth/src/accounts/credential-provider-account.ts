// Account backed by a refreshing credential source (PyODPS CredentialProviderAccount), memoized.

import type { CredentialProviderInput } from '../credentials/adapt-provider.js';
import { adaptProvider } from '../credentials/adapt-provider.js';
import { defaultChain, type DefaultChainOptions } from '../credentials/default-chain.js';
import { MemoizedCredentials, type MemoizeOptions } from '../credentials/memoize.js';
import { signRequest } from '../signing/sign-request.js';
import type { Account, AccountSignDefaults, Credentials, SignableRequest, SignOptions } from '../types.js';
import { withDefaults } from './sign-defaults.js';

/** Signing defaults, default-chain settings (file paths, environment) and refresh timing of a CredentialProviderAccount. */
export interface CredentialProviderAccountOptions extends AccountSignDefaults, DefaultChainOptions, MemoizeOptions {}

/**
 * An account whose credentials come from a source that can rotate them (PyODPS
 * `CredentialProviderAccount(CredentialClient())`): the way to run without an AccessKey in code, e.g.
 * in DataWorks or PAI DSW, where STS credentials are served at `ALIBABA_CLOUD_CREDENTIALS_URI` or
 * mounted as a file.
 *
 * Credentials are fetched on first use and cached. A snapshot with an expiration is refreshed
 * `refreshBeforeMs` (default 15 min) before it expires, by one fetch shared by concurrent callers;
 * if a refresh fails while the cached snapshot is still valid, the cached one keeps being used and
 * the refresh is retried with backoff. When the service answers that the credentials expired, the
 * client calls {@link CredentialProviderAccount.invalidate} and re-sends the request once.
 * Errors: `CredentialsError` (`CredentialsNotFound` when no source of the chain has credentials,
 * otherwise the failing source's code), never showing a secret.
 */
export class CredentialProviderAccount implements Account {
  readonly #cache: MemoizedCredentials;
  readonly #defaults: AccountSignDefaults;
  readonly #label: string;

  /**
   * `provider`: an @alicloud/credentials `Credential` client, one of its providers, any object with
   * getCredential(), or an async function returning { accessKeyId, accessKeySecret, securityToken?,
   * expiration? }. Omitted: the default chain (environment, credentials URI, mounted credentials
   * file, then @alicloud/credentials' default chain).
   *
   * Nothing is fetched here: the first `authorize` / `getCredentials` call does.
   */
  constructor(provider?: CredentialProviderInput, opts: CredentialProviderAccountOptions = {}) {
    const loader = provider === undefined || provider === null ? defaultChain(opts) : adaptProvider(provider);
    this.#label = provider === undefined || provider === null ? 'default-chain' : 'provider';
    this.#cache = new MemoizedCredentials(loader, opts);
    this.#defaults = { signatureVersion: opts.signatureVersion, region: opts.region, signaturePrefix: opts.signaturePrefix };
  }

  /** The current credential snapshot (fetched or refreshed when due). */
  async getCredentials(): Promise<Readonly<Credentials>> {
    return (await this.#cache.get()).credentials;
  }

  /** Headers that sign `request` with the current credentials (plus the STS token header when there is one). */
  async authorize(request: SignableRequest, options: SignOptions): Promise<Record<string, string>> {
    // One snapshot per signature: key id, secret and token all come from the same fetch.
    const { credentials } = await this.#cache.get();
    return signRequest(request, credentials, withDefaults(options, this.#defaults));
  }

  /** Drop the cached snapshot: the next call fetches fresh credentials. */
  invalidate(): void {
    this.#cache.invalidate();
  }

  /** Which source served the last snapshot, for logs; never includes a secret. */
  describe(): string {
    return `CredentialProviderAccount(${this.#cache.lastSource ?? this.#label})`;
  }
}
