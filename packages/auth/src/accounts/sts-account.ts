// STS account (PyODPS StsAccount with fixed values): temporary key + authorization-sts-token.

import { signRequest } from '../signing/sign-request.js';
import type { Account, AccountSignDefaults, Credentials, SignableRequest, SignOptions } from '../types.js';
import { maskKeyId, withDefaults } from './sign-defaults.js';

export class StsAccount implements Account {
  readonly #credentials: Readonly<Credentials>;
  readonly #defaults: AccountSignDefaults;

  constructor(accessKeyId: string, accessKeySecret: string, securityToken: string, opts: AccountSignDefaults = {}) {
    if (!accessKeyId) throw new TypeError('StsAccount: accessKeyId is empty');
    if (!accessKeySecret) throw new TypeError('StsAccount: accessKeySecret is empty');
    if (!securityToken) throw new TypeError('StsAccount: securityToken is empty');
    this.#credentials = Object.freeze({ accessKeyId, accessKeySecret, securityToken });
    this.#defaults = { ...opts };
  }

  async authorize(request: SignableRequest, options: SignOptions): Promise<Record<string, string>> {
    return signRequest(request, this.#credentials, withDefaults(options, this.#defaults));
  }

  invalidate(): void {
    // Fixed token: a refreshing STS source belongs in CredentialProviderAccount.
  }

  describe(): string {
    return `StsAccount(${maskKeyId(this.#credentials.accessKeyId)})`;
  }
}
