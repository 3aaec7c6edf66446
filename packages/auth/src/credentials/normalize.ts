// Turns whatever a provider returned (fields, PascalCase fields, getters) into our Credentials.

import { CredentialsError } from '../errors.js';
import type { Credentials } from '../types.js';
import { parseExpiration } from './expiration.js';

type AnyRecord = Record<string, unknown>;

async function pick(obj: AnyRecord, names: readonly string[], getter: string): Promise<unknown> {
  for (const n of names) {
    const v = obj[n];
    if (v !== undefined && v !== null && v !== '' && typeof v !== 'function') return v;
  }
  const fn = obj[getter];
  if (typeof fn === 'function') return (await (fn as () => unknown).call(obj)) ?? undefined;
  return undefined;
}

/** Reads a credentials-like value; `origin` names the provider in error messages. */
export async function normalizeCredentials(raw: unknown, origin: string): Promise<Credentials> {
  if (raw === null || typeof raw !== 'object') {
    throw new CredentialsError('InvalidCredentials', `${origin} returned no credentials object`);
  }
  const obj = raw as AnyRecord;
  const accessKeyId = await pick(obj, ['accessKeyId', 'AccessKeyId'], 'getAccessKeyId');
  const accessKeySecret = await pick(obj, ['accessKeySecret', 'AccessKeySecret'], 'getAccessKeySecret');
  const securityToken = await pick(obj, ['securityToken', 'SecurityToken'], 'getSecurityToken');
  const expiration = await pick(obj, ['expiration', 'Expiration', 'expireTime'], 'getExpiration');
  if (typeof accessKeyId !== 'string' || accessKeyId === '') {
    const bearer = obj['bearerToken'];
    if (typeof bearer === 'string' && bearer !== '') {
      throw new CredentialsError('InvalidCredentials', `${origin} returned a bearer token, not an access key; use BearerTokenAccount`);
    }
    throw new CredentialsError('InvalidCredentials', `${origin} returned credentials without 'accessKeyId'`);
  }
  if (typeof accessKeySecret !== 'string' || accessKeySecret === '') {
    throw new CredentialsError('InvalidCredentials', `${origin} returned credentials without 'accessKeySecret'`);
  }
  if (securityToken !== undefined && typeof securityToken !== 'string') {
    throw new CredentialsError('InvalidCredentials', `${origin} returned a non-string 'securityToken'`);
  }
  const out: Credentials = { accessKeyId, accessKeySecret };
  if (securityToken) out.securityToken = securityToken;
  const exp = parseExpiration(expiration, origin, 'expiration');
  if (exp !== undefined) out.expiration = exp;
  return out;
}
