// Public surface of @odps-ts/auth: the pure signer, the accounts and the credential errors.

export type { Account, AccountSignDefaults, Credentials, SignableRequest, SignatureVersion, SignOptions } from './types.js';

export { canonicalResource } from './signing/canonical-resource.js';
export { stringToSign } from './signing/string-to-sign.js';
export { signRequest, STS_TOKEN_HEADER, DEFAULT_SIGNATURE_PREFIX } from './signing/sign-request.js';
export { formatHttpDate } from './signing/http-date.js';

export { AliyunAccount } from './accounts/aliyun-account.js';
export { StsAccount } from './accounts/sts-account.js';
export { BearerTokenAccount, BEARER_TOKEN_HEADER, type BearerTokenSource } from './accounts/bearer-token-account.js';
export { AppAccount, APP_AUTH_HEADER } from './accounts/app-account.js';
export { CredentialProviderAccount, type CredentialProviderAccountOptions } from './accounts/credential-provider-account.js';
export type {
  CredentialClientLike,
  CredentialFunction,
  CredentialProviderInput,
  CredentialsLike,
  CredentialsProviderLike,
} from './credentials/adapt-provider.js';
export { DEFAULT_CREDENTIALS_FILE } from './credentials/file-source.js';
export { DEFAULT_REFRESH_BEFORE_MS } from './credentials/memoize.js';

export { CredentialsError, redact, type CredentialsErrorCode, type CredentialSourceAttempt } from './errors.js';
