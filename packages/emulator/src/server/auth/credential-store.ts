// Known credentials: the root AccessKey pair, issued (rotating) STS triples and logview bearer tokens.
import { randomBytes } from 'node:crypto';
import type { BearerGrant } from './principal.js';

export interface IssuedSts {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  expiration: Date;
  issuedAt: Date;
}

export type KeyLookup =
  | { kind: 'root'; secret: string }
  | { kind: 'sts'; secret: string; securityToken: string; expiration: Date };

// Bounds memory of a long-running emulator that hands out credentials on every call.
const MAX_REMEMBERED = 10_000;

function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

export class CredentialStore {
  private readonly sts = new Map<string, IssuedSts>();
  private readonly bearer = new Map<string, BearerGrant>();

  constructor(
    private readonly rootAccessKeyId: string,
    private readonly rootAccessKeySecret: string,
    private readonly now: () => Date,
  ) {}

  /** A fresh STS triple valid for `lifetimeSeconds`; earlier triples stay valid until their own expiry. */
  issueSts(lifetimeSeconds: number): IssuedSts {
    const issuedAt = this.now();
    const issued: IssuedSts = {
      accessKeyId: `STS.${randomToken(12)}`,
      accessKeySecret: randomToken(24),
      securityToken: `CAIS${randomToken(48)}`,
      expiration: new Date(issuedAt.getTime() + lifetimeSeconds * 1000),
      issuedAt,
    };
    this.sts.set(issued.accessKeyId, issued);
    this.prune(this.sts, (v) => v.expiration);
    return issued;
  }

  lookupKey(accessKeyId: string): KeyLookup | undefined {
    if (accessKeyId === this.rootAccessKeyId) return { kind: 'root', secret: this.rootAccessKeySecret };
    const s = this.sts.get(accessKeyId);
    if (!s) return undefined;
    return { kind: 'sts', secret: s.accessKeySecret, securityToken: s.securityToken, expiration: s.expiration };
  }

  /** Make every issued STS triple expire now (fault 'expire-sts'). */
  expireAllSts(): void {
    const past = new Date(this.now().getTime() - 1000);
    for (const s of this.sts.values()) s.expiration = past;
  }

  /**
   * A bearer token for `grant`: base64 text whose comma-separated fields have the Unix expiry (seconds)
   * at index 2, where PyODPS `BearerTokenAccount._reload_account` reads it (`split(",")[2]`); the
   * other fields are random. No field holds a comma, so the split is exact.
   */
  issueBearer(grant: BearerGrant): string {
    const text = ['v1', randomToken(9), String(Math.floor(grant.expiration.getTime() / 1000)), randomToken(24)].join(',');
    const token = Buffer.from(text, 'utf8').toString('base64');
    this.bearer.set(token, grant);
    this.prune(this.bearer, (v) => v.expiration);
    return token;
  }

  lookupBearer(token: string): BearerGrant | undefined {
    return this.bearer.get(token);
  }

  reset(): void {
    this.sts.clear();
    this.bearer.clear();
  }

  private prune<V>(map: Map<string, V>, expiry: (v: V) => Date): void {
    if (map.size <= MAX_REMEMBERED) return;
    const nowMs = this.now().getTime();
    for (const [k, v] of map) {
      if (map.size <= MAX_REMEMBERED / 2) break;
      if (expiry(v).getTime() < nowMs - 86_400_000 || map.size > MAX_REMEMBERED) map.delete(k);
    }
  }
}
