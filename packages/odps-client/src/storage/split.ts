// Split descriptors: the small JSON value that lets another process read one split with its own credentials.
import { OdpsArgumentError } from '../errors.js';

/** Current descriptor layout; readers refuse other versions rather than guess. */
export const SPLIT_DESCRIPTOR_VERSION = 1;

/**
 * One split of a Storage API read session. It names the session and the split only: no endpoint
 * credentials, no token, so it can be logged, queued or sent to a worker that reads with its own
 * account. `rowIndex`/`rowCount` narrow the read (row-offset sessions, or part of an indexed split);
 * `rowCount` 0 or absent means "to the end of the split".
 */
export interface SplitDescriptor {
  version: typeof SPLIT_DESCRIPTOR_VERSION;
  project: string;
  schema: string;
  table: string;
  sessionId: string;
  splitIndex: number;
  rowIndex?: number;
  rowCount?: number;
  quotaName?: string;
}

export class InvalidSplitDescriptorError extends OdpsArgumentError {
  override name = 'InvalidSplitDescriptorError';
  constructor(message: string) {
    super(`invalid split descriptor: ${message}`, 'InvalidSplitDescriptor');
  }
}

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.$-]{0,254}$/;
const SESSION = /^[A-Za-z0-9_.:-]{1,256}$/;
const KEYS = new Set(['version', 'project', 'schema', 'table', 'sessionId', 'splitIndex', 'rowIndex', 'rowCount', 'quotaName']);

function text(o: Record<string, unknown>, key: string, pattern: RegExp, optional = false): string | undefined {
  const v = o[key];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'string' || !pattern.test(v)) throw new InvalidSplitDescriptorError(`"${key}" must be a name string (got ${v === undefined ? 'nothing' : typeof v})`);
  return v;
}

function count(o: Record<string, unknown>, key: string, optional: boolean): number | undefined {
  const v = o[key];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new InvalidSplitDescriptorError(`"${key}" must be a non-negative integer`);
  return v;
}

/** Checks a descriptor (an object, or its JSON text) and returns a clean copy; throws InvalidSplitDescriptorError. */
export function parseSplitDescriptor(input: unknown): SplitDescriptor {
  let o: unknown = input;
  if (typeof input === 'string') {
    if (input.length > 4096) throw new InvalidSplitDescriptorError('longer than 4096 characters');
    try {
      o = JSON.parse(input);
    } catch {
      throw new InvalidSplitDescriptorError('not JSON');
    }
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new InvalidSplitDescriptorError('not an object');
  const rec = o as Record<string, unknown>;
  for (const k of Object.keys(rec)) if (!KEYS.has(k)) throw new InvalidSplitDescriptorError(`unknown field "${k}"`);
  if (rec['version'] !== SPLIT_DESCRIPTOR_VERSION) throw new InvalidSplitDescriptorError(`unsupported version ${JSON.stringify(rec['version'])} (this client reads version ${SPLIT_DESCRIPTOR_VERSION})`);
  const out: SplitDescriptor = {
    version: SPLIT_DESCRIPTOR_VERSION,
    project: text(rec, 'project', NAME)!,
    schema: text(rec, 'schema', NAME)!,
    table: text(rec, 'table', NAME)!,
    sessionId: text(rec, 'sessionId', SESSION)!,
    splitIndex: count(rec, 'splitIndex', false)!,
  };
  const rowIndex = count(rec, 'rowIndex', true);
  if (rowIndex !== undefined) out.rowIndex = rowIndex;
  const rowCount = count(rec, 'rowCount', true);
  if (rowCount !== undefined) out.rowCount = rowCount;
  const quota = text(rec, 'quotaName', NAME, true);
  if (quota !== undefined) out.quotaName = quota;
  return out;
}

/** The descriptor as JSON text (validated first, so what is sent can be read back). */
export function serializeSplitDescriptor(d: SplitDescriptor): string {
  return JSON.stringify(parseSplitDescriptor(d));
}
