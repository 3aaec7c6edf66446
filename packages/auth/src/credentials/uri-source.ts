// Default-chain link: ALIBABA_CLOUD_CREDENTIALS_URI, fetched with the runtime's fetch (undici).

import { CredentialsError } from '../errors.js';
import type { ChainSource, Env } from './chain-source.js';
import { parseExpiration } from './expiration.js';
import { snapshot, type ProvidedCredentials } from './provided-credentials.js';

export const DEFAULT_URI_TIMEOUT_MS = 5_000;
// The response may omit Expiration; then re-fetch after this long rather than trusting it forever.
const REUSE_WITHOUT_EXPIRATION_MS = 60_000;

/** Scheme, host and port only: the path or query of a credentials URI may itself carry a token. */
function originOf(uri: string): string {
  try {
    return new URL(uri).origin;
  } catch {
    return '<unparseable URI>';
  }
}

function field(data: Record<string, unknown>, name: string, where: string): string {
  const v = data[name];
  if (typeof v !== 'string' || v === '') {
    throw new CredentialsError('CredentialsFetchFailed', `${where}: response has no '${name}'`);
  }
  return v;
}

/**
 * Fetches `{ Code: "Success", AccessKeyId, AccessKeySecret, SecurityToken, Expiration }` the way the
 * library's URICredentialsProvider does (HTTP 200 and all three keys required), but never quotes the
 * response body in errors (it holds the secret).
 */
export async function fetchCredentialsUri(uri: string, timeoutMs: number = DEFAULT_URI_TIMEOUT_MS): Promise<ProvidedCredentials> {
  const where = `credentials URI ${originOf(uri)}`;
  let status: number;
  let body: string;
  try {
    const res = await fetch(uri, { method: 'GET', signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
    status = res.status;
    body = await res.text();
  } catch (err) {
    const reason = err instanceof Error && err.name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : 'request failed';
    const code = (err as { cause?: { code?: unknown } }).cause?.code;
    throw new CredentialsError('CredentialsFetchFailed', `${where}: ${reason}${typeof code === 'string' ? ` (${code})` : ''}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    data = undefined;
  }
  const obj = data !== null && typeof data === 'object' ? (data as Record<string, unknown>) : undefined;
  const code = typeof obj?.['Code'] === 'string' ? (obj['Code'] as string) : undefined;
  if (status !== 200) {
    throw new CredentialsError('CredentialsFetchFailed', `${where}: HTTP ${status}${code ? ` (Code ${code})` : ''}`);
  }
  if (obj === undefined) throw new CredentialsError('CredentialsFetchFailed', `${where}: response is not a JSON object`);
  if (code !== undefined && code !== 'Success') {
    throw new CredentialsError('CredentialsFetchFailed', `${where}: Code ${code}`);
  }
  const accessKeyId = field(obj, 'AccessKeyId', where);
  const accessKeySecret = field(obj, 'AccessKeySecret', where);
  const securityToken = field(obj, 'SecurityToken', where);
  const expiration = parseExpiration(obj['Expiration'], `${where}: Expiration`, 'CredentialsFetchFailed');
  return {
    credentials: snapshot({ accessKeyId, accessKeySecret, securityToken, expiration }),
    source: 'credentials-uri',
    reuseForMs: REUSE_WITHOUT_EXPIRATION_MS,
  };
}

export function uriSource(explicitUri: string | undefined, env: () => Env, timeoutMs?: number): ChainSource {
  return {
    name: 'credentials-uri',
    explicit: true,
    load: async () => {
      const uri = explicitUri ?? env()['ALIBABA_CLOUD_CREDENTIALS_URI'];
      if (!uri) return { notConfigured: 'ALIBABA_CLOUD_CREDENTIALS_URI not set' };
      return fetchCredentialsUri(uri, timeoutMs);
    },
  };
}
