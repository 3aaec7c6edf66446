// Default-chain link: the JSON credentials file mounted in dev environments (/mnt/.alibabacloud/credentials).

import { constants, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { CredentialsError } from '../errors.js';
import type { ChainSource, Env, NotConfigured } from './chain-source.js';
import { parseExpiration } from './expiration.js';
import { snapshot, type ProvidedCredentials } from './provided-credentials.js';

export const DEFAULT_CREDENTIALS_FILE = '/mnt/.alibabacloud/credentials';
/** A credentials file is a few hundred bytes; a larger one is refused unread. */
export const MAX_CREDENTIALS_FILE_BYTES = 64 * 1024;
// A file without Expiration may still be rotated in place: look again after this long.
const REUSE_WITHOUT_EXPIRATION_MS = 60_000;
// Opening a FIFO for reading blocks until a writer appears; with O_NONBLOCK it returns at once and
// fstat then refuses it. (Windows has no such flag and no FIFOs to open.)
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

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

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'directory';
  if (st.isFIFO()) return 'FIFO';
  if (st.isCharacterDevice()) return 'character device';
  if (st.isBlockDevice()) return 'block device';
  if (st.isSocket()) return 'socket';
  return 'special file';
}

// Warn once per file and mode, not on every re-read (a file without Expiration is re-read each minute).
const warnedWritable = new Set<string>();

/** Anyone who can write the file can swap in their own identity: say so, but keep working. */
function warnIfWritable(path: string, mode: number): void {
  if (process.platform === 'win32') return;
  const group = (mode & 0o020) !== 0;
  const world = (mode & 0o002) !== 0;
  if (!group && !world) return;
  const key = `${path}\0${mode}`;
  if (warnedWritable.has(key)) return;
  warnedWritable.add(key);
  const who = [group ? 'its group' : '', world ? 'everyone' : ''].filter(Boolean).join(' and ');
  process.emitWarning(`credentials file ${path} is writable by ${who} (mode ${(mode & 0o777).toString(8)}); anyone who can write it can swap the credentials`, {
    type: 'SecurityWarning',
    code: 'ODPS_CREDENTIALS_FILE_WRITABLE',
  });
}

/**
 * Reads the file as text: only a regular file (checked on the opened descriptor, so a swap between
 * check and read cannot slip a FIFO or device in) of at most MAX_CREDENTIALS_FILE_BYTES.
 */
async function readCredentialsFile(path: string): Promise<string | NotConfigured> {
  let handle;
  try {
    handle = await open(path, OPEN_FLAGS);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { notConfigured: `${path} not found` };
    throw malformed(path, `cannot be read (${code ?? 'error'})`);
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw malformed(path, `not a regular file (${kindOf(st)})`);
    if (st.size > MAX_CREDENTIALS_FILE_BYTES) throw malformed(path, `larger than ${MAX_CREDENTIALS_FILE_BYTES} bytes`);
    warnIfWritable(path, st.mode);
    // Read one byte past the cap: the file may have grown since fstat.
    const buf = Buffer.alloc(MAX_CREDENTIALS_FILE_BYTES + 1);
    let length = 0;
    while (length < buf.length) {
      const { bytesRead } = await handle.read(buf, length, buf.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > MAX_CREDENTIALS_FILE_BYTES) throw malformed(path, `larger than ${MAX_CREDENTIALS_FILE_BYTES} bytes`);
    return buf.subarray(0, length).toString('utf8');
  } catch (err) {
    if (err instanceof CredentialsError) throw err;
    throw malformed(path, `cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  } finally {
    await handle.close();
  }
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
      // Re-read on every refresh so a rotated file is picked up.
      const text = await readCredentialsFile(path);
      if (typeof text !== 'string') return text;
      if (explicitPath === undefined && fromEnv && !text.trimStart().startsWith('{')) {
        return { notConfigured: `${path} is not a JSON credentials file (left to the library's profile provider)` };
      }
      return parseCredentialsFile(text, path);
    },
  };
}
