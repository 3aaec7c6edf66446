// Public data shapes shared by the signer and the accounts (contracts §1).

/** A request as it will be sent: the signer reads only these three things. */
export interface SignableRequest {
  /** 'GET' | 'POST' | ... (any case; signed upper-case). */
  method: string;
  /** Full URL as sent on the wire (percent-encoded), including the query string. */
  url: string;
  /** Must already contain Date (RFC 1123 GMT). Header names in any case. */
  headers: Record<string, string>;
}

/** One consistent snapshot of an access key (and STS token). */
export interface Credentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
  /** When STS credentials stop working (undefined = never). */
  expiration?: Date;
}

export type SignatureVersion = 'v2' | 'v4';

export interface SignOptions {
  /** The configured endpoint (REST '.../api' or tunnel host); the canonical resource is relative to it. */
  endpoint: string;
  /** Default 'v2'. */
  signatureVersion?: SignatureVersion;
  /** Plain region id (e.g. 'cn-hangzhou'); required for v4. */
  region?: string;
  /** v4 scope date; default = parsed from the request's Date header. */
  date?: Date;
  /** Default 'aliyun' -> key prefix 'aliyun_v4', scope terminator 'aliyun_v4_request'. */
  signaturePrefix?: string;
}

export interface Account {
  /** Headers to add to this request (Authorization etc). Called on every attempt (each retry re-signs). */
  authorize(request: SignableRequest, options: SignOptions): Promise<Record<string, string>>;
  /** Force the next authorize() to fetch fresh credentials (server said they expired). No-op for static accounts. */
  invalidate?(): void;
  /** Short, secret-free description for logs/whoami, e.g. "CredentialProviderAccount(credentials-uri)". */
  describe?(): string;
}

/** Per-account signing defaults; the options passed to authorize() override them. */
export interface AccountSignDefaults {
  signatureVersion?: SignatureVersion;
  region?: string;
  signaturePrefix?: string;
}
