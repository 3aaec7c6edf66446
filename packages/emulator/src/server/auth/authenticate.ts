// Request authentication: rebuild the string-to-sign with @odps-ts/auth and compare signatures.
import { timingSafeEqual } from 'node:crypto';
import { signRequest, type SignOptions } from '@odps-ts/auth';
import type { EmulatorContext } from '../context.js';
import { EmulatorHttpError } from '../errors.js';
import { formatHttpDate } from '../time-format.js';
import { parseAuthorization } from './authorization-header.js';
import type { Principal } from './principal.js';
import { pyodpsUrlVariant } from './pyodps-url-variant.js';

export interface AuthInput {
  method: string;
  /** Path + query exactly as received (`req.url`). */
  rawUrl: string;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** The endpoint the client signed against: `http://host:port/api` (REST) or `http://host:port` (tunnel). */
  endpoint: string;
  /** `http://host:port`, joined with rawUrl to rebuild the full URL. */
  base: string;
  /** Clock to check `Date` against; default the (possibly skewed) server clock. */
  now?: Date;
}

// Error codes (rest.md §4.10). Expired STS credentials answer `AuthenticationRequestExpired`: PyODPS
// reloads the account and retries once on exactly that code, and it is distinct from clock skew
// (`RequestTimeTooSkewd`), so a client can tell "refresh credentials" from "fix the clock".
const authErrors = {
  missing: () => new EmulatorHttpError(400, 'AuthorizationRequired', 'ODPS-0410001:Missing authentication parameters - the request has no Authorization or x-odps-bearer-token header.'),
  malformed: () => new EmulatorHttpError(400, 'InvalidParameter', 'ODPS-0410011:Invalid authentication parameters - the Authorization header is not "ODPS <accessKeyId>:<signature>" or a v4 scope.'),
  missingDate: () => new EmulatorHttpError(400, 'InvalidParameter', 'ODPS-0410011:Invalid authentication parameters - missing or unparsable Date header.'),
  unknownKey: (ak: string) => new EmulatorHttpError(401, 'Unauthorized', `ODPS-0410051:Invalid credentials - accessKeyId not found: ${ak}`),
  badToken: () => new EmulatorHttpError(401, 'Unauthorized', 'ODPS-0410051:Invalid credentials - the STS security token is missing or does not belong to this accessKeyId.'),
  stsExpired: () => new EmulatorHttpError(401, 'AuthenticationRequestExpired', 'ODPS-0410051:Invalid credentials - the STS security token has expired.'),
  badSignature: () => new EmulatorHttpError(401, 'SignatureNotMatch', 'ODPS-0410042:Invalid signature value - User signature does not match'),
  unknownBearer: () => new EmulatorHttpError(401, 'Unauthorized', 'ODPS-0410051:Invalid credentials - unknown bearer token.'),
  bearerExpired: () => new EmulatorHttpError(401, 'AuthenticationRequestExpired', 'ODPS-0410051:Invalid credentials - the bearer token has expired.'),
};

function skewError(requestDate: Date, now: Date, maxSkewMs: number): EmulatorHttpError {
  const expire = new Date(requestDate.getTime() + maxSkewMs);
  return new EmulatorHttpError(
    400,
    'RequestTimeTooSkewd',
    `ODPS-0410031:Authentication request expired - max_interval_date:${maxSkewMs},expire_date:${expire.toISOString()},now_date:${now.toISOString()}`,
  );
}

function sameText(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/** Establish who sent the request or throw the error the real service would answer. */
export function authenticate(emu: EmulatorContext, input: AuthInput): Principal {
  const now = input.now ?? emu.now();
  const authorization = input.headers['authorization'];
  const bearer = input.headers['x-odps-bearer-token'];
  if (!authorization) {
    if (bearer) return authenticateBearer(emu, bearer, now);
    throw authErrors.missing();
  }
  const parsed = parseAuthorization(authorization);
  if (!parsed) throw authErrors.malformed();

  const dateText = input.headers['date'];
  const requestDate = dateText ? new Date(dateText) : undefined;
  if (!requestDate || Number.isNaN(requestDate.getTime())) throw authErrors.missingDate();
  if (Math.abs(requestDate.getTime() - now.getTime()) > emu.config.maxClockSkewMs) {
    throw skewError(requestDate, now, emu.config.maxClockSkewMs);
  }

  const key = emu.credentials.lookupKey(parsed.accessKeyId);
  if (!key) throw authErrors.unknownKey(parsed.accessKeyId);
  if (key.kind === 'sts') {
    const token = input.headers['authorization-sts-token'];
    if (!token || !sameText(token, key.securityToken)) throw authErrors.badToken();
    if (key.expiration.getTime() <= now.getTime()) throw authErrors.stsExpired();
  }

  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers)) {
    if (name === 'authorization' || name === 'authorization-sts-token' || name === 'application-authentication') continue;
    headers[name] = value;
  }
  const options: SignOptions =
    parsed.version === 'v2'
      ? { endpoint: input.endpoint, signatureVersion: 'v2' }
      : { endpoint: input.endpoint, signatureVersion: 'v4', region: parsed.region, date: parsed.date, signaturePrefix: parsed.signaturePrefix };
  const credentials = { accessKeyId: parsed.accessKeyId, accessKeySecret: key.secret };
  const expectedFor = (rawUrl: string): string => {
    try {
      const signed = signRequest({ method: input.method, url: input.base + rawUrl, headers }, credentials, options);
      return signed['Authorization'] ?? '';
    } catch (err) {
      // The signer refuses URLs it cannot canonicalise (e.g. malformed escapes): the client's fault.
      throw new EmulatorHttpError(400, 'InvalidParameter', `ODPS-0410011:Invalid authentication parameters - cannot canonicalise the request: ${(err as Error).message}`);
    }
  };
  // The Java/Go canonical form first; PyODPS's double-decoded query as a fallback (rest.md §1.9).
  const variant = pyodpsUrlVariant(input.rawUrl);
  const matches = sameText(expectedFor(input.rawUrl), authorization.trim()) || (variant !== undefined && sameText(expectedFor(variant), authorization.trim()));
  if (!matches) {
    emu.logger.debug('signature mismatch', { accessKeyId: parsed.accessKeyId, version: parsed.version, method: input.method, path: input.rawUrl.split('?')[0], date: formatHttpDate(requestDate) });
    throw authErrors.badSignature();
  }
  return key.kind === 'root' ? { kind: 'root', accessKeyId: parsed.accessKeyId } : { kind: 'sts', accessKeyId: parsed.accessKeyId };
}

function authenticateBearer(emu: EmulatorContext, token: string, now: Date): Principal {
  const grant = emu.credentials.lookupBearer(token);
  if (!grant) throw authErrors.unknownBearer();
  if (grant.expiration.getTime() <= now.getTime()) throw authErrors.bearerExpired();
  return { kind: 'bearer', grant };
}
