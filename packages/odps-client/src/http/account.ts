// The slice of @odps-ts/auth's Account the transport relies on (structurally identical to contracts §1).

export interface SignableRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
}

export interface SignOptions {
  endpoint: string;
  signatureVersion?: 'v2' | 'v4';
  region?: string;
  date?: Date;
  signaturePrefix?: string;
}

/** Anything that can authorize a request: every account class of @odps-ts/auth fits. */
export interface Account {
  authorize(request: SignableRequest, options: SignOptions): Promise<Record<string, string>>;
  invalidate?(): void;
  describe?(): string;
}
