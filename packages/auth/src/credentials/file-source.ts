// Default-chain link: the JSON credentials file mounted in dev environments (/mnt/.alibabacloud/credentials).

import { readFile } from 'node:fs/promises';
import { CredentialsError } from '../errors.js';
import type { ChainSource, Env } from './chain-source.js';
import { parseExpiration } from './expiration.js';
import { snapshot, type ProvidedCredentials } from './provided-credentials.js';

export const DEFAULT_CREDENTIALS_FILE = '/mnt/.alibabacloud/credentials';
// A file without Expiration may still be rotated in place: look again after this long.
const REUSE_WITHOUT_EXPIRATION_MS = 60_000;

function malformed(path: string, what: string): CredentialsError {
  return new CredentialsError('MalformedCredentialsFile', `credentials file ${path}: ${what}`);
}

function stringField(data: Record<string, unknown>, name: string, path: string, required: boolean): string | undefined {
  const v = data[name];
  if (v === undefined || v === null || v === '') {
    if (required) throw malformed(path, `field '${name}' is missing`);
    return undefined;
  }
  if (typeof v !== 'string') throw malformed(path, `field '${name}' is not a string`);
  return v;
}

/** Parses the file's text; errors name the file and field, never a value (nor JSON.parse's excerpt). */
export function parseCredentialsFile(text: string, path: string): ProvidedCredentials {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw malformed(path, 'not valid JSON');
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw malformed(path, 'not a JSON object');
  const obj = data as Record<string, unknown>;
  const accessKeyId = stringField(obj, 'AccessKeyId', path, true) as string;
  const accessKeySecret = stringField(obj, 'AccessKeySecret', path, true) as string;
  const securityToken = stringField(obj, 'SecurityToken', path, false);
  const expiration = parseExpiration(obj['Expiration'], `credentials file ${path}`, 'Expiration', 'MalformedCredentialsFile');
  return {
    credentials: snapshot({ accessKeyId, accessKeySecret, securityToken, expiration }),
    source: 'credentials-file',
    reuseForMs: REUSE_WITHOUT_EXPIRATION_MS,
  };
}

/**
 * `explicitPath` (an option) is always ours. A path from ALIBABA_CLOUD_CREDENTIALS_FILE may instead be
 * the library's INI profile file (its ProfileCredentialsProvider reads the same variable), so a
 * non-JSON file there is left to the library rather than reported as malformed.
 */
export function fileSource(explicitPath: string | undefined, env: () => Env): ChainSource {
  return {
    name: 'credentials-file',
    explicit: true,
    load: async () => {
      const fromEnv = env()['ALIBABA_CLOUD_CREDENTIALS_FILE'];
      const path = explicitPath ?? (fromEnv || DEFAULT_CREDENTIALS_FILE);
      let text: string;
      try {
        // Re-read on every refresh so a rotated file is picked up.
        text = await readFile(path, 'utf8');
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR') return { notConfigured: `${path} not found` };
        throw new CredentialsError('MalformedCredentialsFile', `credentials file ${path}: cannot be read (${code ?? 'error'})`);
      }
      if (explicitPath === undefined && fromEnv && !text.trimStart().startsWith('{')) {
        return { notConfigured: `${path} is not a JSON credentials file (left to the library's profile provider)` };
      }
      return parseCredentialsFile(text, path);
    },
  };
}
