// Bearer token account (PyODPS BearerTokenAccount): x-odps-bearer-token only, nothing signed.

import { CredentialsError, describeFailure } from '../errors.js';
import type { Account, SignableRequest, SignOptions } from '../types.js';

export const BEARER_TOKEN_HEADER = 'x-odps-bearer-token';

export type BearerTokenSource = string | (() => string | Promise<string>);

export class BearerTokenAccount implements Account {
  readonly #token: BearerTokenSource;

  constructor(token: BearerTokenSource) {
    if (typeof token === 'string' ? token === '' : typeof token !== 'function') {
      throw new TypeError('BearerTokenAccount: token must be a non-empty string or a function');
    }
    this.#token = token;
  }

  /** A function source is asked on every request, so it decides caching and rotation. */
  async authorize(_request: SignableRequest, _options: SignOptions): Promise<Record<string, string>> {
    let token: unknown;
    if (typeof this.#token === 'string') token = this.#token;
    else {
      try {
        token = await this.#token();
      } catch (err) {
        throw new CredentialsError('CredentialsFetchFailed', `bearer token source failed: ${describeFailure(err)}`);
      }
    }
    if (typeof token !== 'string' || token === '') {
      throw new CredentialsError('BearerTokenMissing', 'bearer token source returned no token');
    }
    return { [BEARER_TOKEN_HEADER]: token };
  }

  invalidate(): void {
    // A function source is asked again on every call anyway.
  }

  describe(): string {
    return typeof this.#token === 'string' ? 'BearerTokenAccount(static)' : 'BearerTokenAccount(function)';
  }
}
