// AccessKey account (PyODPS AliyunAccount): static key, signed v2 or v4.

import { signRequest } from '../signing/sign-request.js';
import type { Account, AccountSignDefaults, Credentials, SignableRequest, SignOptions } from '../types.js';
import { maskKeyId, withDefaults } from './sign-defaults.js';

export class AliyunAccount implements Account {
  readonly #credentials: Readonly<Credentials>;
  readonly #defaults: AccountSignDefaults;

  constructor(accessKeyId: string, accessKeySecret: string, opts: AccountSignDefaults = {}) {
    if (!accessKeyId) throw new TypeError('AliyunAccount: accessKeyId is empty');
    if (!accessKeySecret) throw new TypeError('AliyunAccount: accessKeySecret is empty');
    this.#credentials = Object.freeze({ accessKeyId, accessKeySecret });
    this.#defaults = { ...opts };
  }

  async authorize(request: SignableRequest, options: SignOptions): Promise<Record<string, string>> {
    return signRequest(request, this.#credentials, withDefaults(options, this.#defaults));
  }

  invalidate(): void {
    // Static key: nothing to refresh.
  }

  describe(): string {
    return `AliyunAccount(${maskKeyId(this.#credentials.accessKeyId)})`;
  }
}
