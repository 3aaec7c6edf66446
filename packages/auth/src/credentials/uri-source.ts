// Default-chain link: ALIBABA_CLOUD_CREDENTIALS_URI, fetched with the runtime's fetch (undici).

import { CredentialsError, safeServerCode } from '../errors.js';
import type { ChainSource, Env } from './chain-source.js';
import { parseExpiration } from './expiration.js';
import { snapshot, type ProvidedCredentials } from './provided-credentials.js';

export const DEFAULT_URI_TIMEOUT_MS = 5_000;
/** A credentials answer is a few hundred bytes; anything past this is refused unread. */
export const MAX_URI_RESPONSE_BYTES = 64 * 1024;
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

function failed(where: string, what: string): CredentialsError {
  return new CredentialsError('CredentialsFetchFailed', `${where}: ${what}`);
}

function field(data: Record<string, unknown>, name: string, where: string): string {
  const v = data[name];
  if (typeof v !== 'string' || v === '') throw failed(where, `response has no '${name}'`);
  return v;
}

/** The body as text, refusing (and cancelling) it once it passes MAX_URI_RESPONSE_BYTES. */
async function readCapped(res: Response, where: string, abort: AbortController): Promise<string> {
  const tooLarge = () => failed(where, `response larger than ${MAX_URI_RESPONSE_BYTES} bytes refused`);
  const declared = Number(res.headers.get('content-length') ?? Number.NaN);
  if (declared > MAX_URI_RESPONSE_BYTES) {
    abort.abort();
    throw tooLarge();
  }
  if (res.body === null) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_URI_RESPONSE_BYTES) {
      // Aborting closes the connection, so the server stops sending rather than us draining it.
      abort.abort();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function fetchBody(uri: string, where: string, timeoutMs: number): Promise<{ status: number; body: string }> {
  const abort = new AbortController();
  try {
    const res = await fetch(uri, {
      method: 'GET',
      // A redirect could carry the request (and the credentials it returns) to another host.
      redirect: 'manual',
      signal: AbortSignal.any([abort.signal, AbortSignal.timeout(timeoutMs)]),
      headers: { accept: 'application/json' },
    });
    if (res.status >= 300 && res.status < 400) {
      abort.abort();
      throw failed(where, `redirect (HTTP ${res.status}) refused; set the URI to the final address`);
    }
    return { status: res.status, body: await readCapped(res, where, abort) };
  } catch (err) {
    if (err instanceof CredentialsError) throw err;
    const reason = err instanceof Error && err.name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : 'request failed';
    const code = (err as { cause?: { code?: unknown } }).cause?.code;
    throw failed(where, `${reason}${typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code) ? ` (${code})` : ''}`);
  }
}

/**
 * Fetches `{ Code: "Success", AccessKeyId, AccessKeySecret, SecurityToken, Expiration }` the way the
 * library's URICredentialsProvider does (HTTP 200 and all three keys required), but never quotes the
 * response body in errors (it holds the secret), nor a server Code that is not a plain token.
 */
export async function fetchCredentialsUri(uri: string, timeoutMs: number = DEFAULT_URI_TIMEOUT_MS): Promise<ProvidedCredentials> {
  const where = `credentials URI ${originOf(uri)}`;
  const { status, body } = await fetchBody(uri, where, timeoutMs);
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    data = undefined;
  }
  const obj = data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
  const code = safeServerCode(obj?.['Code'], [obj?.['AccessKeyId'], obj?.['AccessKeySecret'], obj?.['SecurityToken']]);
  if (status !== 200) throw failed(where, `HTTP ${status}${code ? ` (Code ${code})` : ''}`);
  if (obj === undefined) throw failed(where, 'response is not a JSON object');
  if (code !== undefined && obj['Code'] !== 'Success') throw failed(where, `Code ${code}`);
  const accessKeyId = field(obj, 'AccessKeyId', where);
  const accessKeySecret = field(obj, 'AccessKeySecret', where);
  const securityToken = field(obj, 'SecurityToken', where);
  const expiration = parseExpiration(obj['Expiration'], where, 'Expiration', 'CredentialsFetchFailed');
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
