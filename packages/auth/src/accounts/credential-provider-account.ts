// Account backed by a refreshing credential source (PyODPS CredentialProviderAccount), memoized.

import type { CredentialProviderInput } from '../credentials/adapt-provider.js';
import { adaptProvider } from '../credentials/adapt-provider.js';
import { defaultChain, type DefaultChainOptions } from '../credentials/default-chain.js';
import { MemoizedCredentials, type MemoizeOptions } from '../credentials/memoize.js';
import { signRequest } from '../signing/sign-request.js';
import type { Account, AccountSignDefaults, Credentials, SignableRequest, SignOptions } from '../types.js';
import { withDefaults } from './sign-defaults.js';

export interface CredentialProviderAccountOptions extends AccountSignDefaults, DefaultChainOptions, MemoizeOptions {}

export class CredentialProviderAccount implements Account {
  readonly #cache: MemoizedCredentials;
  readonly #defaults: AccountSignDefaults;
  readonly #label: string;

  /**
   * `provider`: an @alicloud/credentials `Credential` client, one of its providers, any object with
   * getCredential(), or an async function returning { accessKeyId, accessKeySecret, securityToken?,
   * expiration? }. Omitted: the default chain (environment, credentials URI, mounted credentials
   * file, then @alicloud/credentials' default chain).
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

  async authorize(request: SignableRequest, options: SignOptions): Promise<Record<string, string>> {
    // One snapshot per signature: key id, secret and token all come from the same fetch.
    const { credentials } = await this.#cache.get();
    return signRequest(request, credentials, withDefaults(options, this.#defaults));
  }

  invalidate(): void {
    this.#cache.invalidate();
  }

  describe(): string {
    return `CredentialProviderAccount(${this.#cache.lastSource ?? this.#label})`;
  }
}
