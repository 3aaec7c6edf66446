// Application account / dual authentication (PyODPS AppAccount): wraps an account, adds application-authentication.

import { createHmac } from 'node:crypto';
import { DEFAULT_SIGNATURE_PREFIX } from '../signing/sign-request.js';
import type { Account, SignableRequest, SignOptions } from '../types.js';

export const APP_AUTH_HEADER = 'application-authentication';

function authorizationOf(headers: Record<string, string>): string | undefined {
  for (const [name, value] of Object.entries(headers)) if (name.toLowerCase() === 'authorization') return value;
  return undefined;
}

/** Header value: the app key signs the inner account's full Authorization value. */
export function applicationAuthentication(authorization: string, appAccessId: string, appAccessKeySecret: string, provider: string): string {
  const sig = createHmac('sha1', Buffer.from(appAccessKeySecret, 'utf8')).update(authorization, 'utf8').digest('base64');
  return `account_provider:${provider},signature_method:hmac-sha1,access_id:${appAccessId},signature:${sig}`;
}

export class AppAccount implements Account {
  readonly #inner: Account;
  readonly #appAccessId: string;
  readonly #appAccessKeySecret: string;

  constructor(inner: Account, appAccessId: string, appAccessKeySecret: string) {
    if (!inner || typeof inner.authorize !== 'function') throw new TypeError('AppAccount: inner must be an Account');
    if (!appAccessId) throw new TypeError('AppAccount: appAccessId is empty');
    if (!appAccessKeySecret) throw new TypeError('AppAccount: appAccessKeySecret is empty');
    this.#inner = inner;
    this.#appAccessId = appAccessId;
    this.#appAccessKeySecret = appAccessKeySecret;
  }

  async authorize(request: SignableRequest, options: SignOptions): Promise<Record<string, string>> {
    const headers = await this.#inner.authorize(request, options);
    const authorization = authorizationOf(headers);
    if (authorization === undefined) {
      throw new TypeError('AppAccount: the inner account produced no Authorization header to countersign');
    }
    // Provider is the signature prefix without '_v4' (default 'aliyun'). A v4 Authorization names the
    // prefix the inner account actually used (its own default may differ from the call's options).
    const v4Prefix = /^ODPS [^/:]+\/\d{8}\/[^/]+\/odps\/(.+)_v4_request:/.exec(authorization)?.[1];
    const provider = v4Prefix ?? (options.signaturePrefix || DEFAULT_SIGNATURE_PREFIX);
    return { ...headers, [APP_AUTH_HEADER]: applicationAuthentication(authorization, this.#appAccessId, this.#appAccessKeySecret, provider) };
  }

  invalidate(): void {
    this.#inner.invalidate?.();
  }

  describe(): string {
    return `AppAccount(${this.#inner.describe?.() ?? 'account'}, app ${this.#appAccessId})`;
  }
}
