// Small helpers over the transport for XML-answering REST calls.
import type { RequestSpec } from '../http/types.js';
import { MAX_XML_BYTES, parseXml, type XmlNode } from '../http/xml.js';
import { NoSuchObjectError } from '../errors.js';
import type { OdpsContext, SchemaScoped } from './context.js';

/** Issue a request and parse its XML body (empty body → empty object). */
export async function requestXml(ctx: OdpsContext, spec: RequestSpec): Promise<{ doc: XmlNode; headers: Record<string, string> }> {
  const res = await ctx.transport.request(spec);
  const text = await res.text({ maxBytes: MAX_XML_BYTES });
  return { doc: text.trim() === '' ? {} : parseXml(text), headers: res.headers };
}

/** Query map with `curr_schema` when a schema applies. */
export function withSchema(query: Record<string, string | null | undefined>, schema: string | undefined): Record<string, string | null | undefined> {
  return schema ? { ...query, curr_schema: schema } : query;
}

/** Parse a time that is either Unix seconds or an RFC 1123 / ISO string. */
export function parseTime(text: string | number | undefined | null): Date | undefined {
  if (text === undefined || text === null || text === '') return undefined;
  if (typeof text === 'number' || /^-?\d+$/.test(text)) {
    const n = Number(text);
    return Number.isFinite(n) ? new Date(n * 1000) : undefined;
  }
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

export function parseIntOr(text: string | number | undefined | null): number | undefined {
  if (text === undefined || text === null || text === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/** `true` when the lookup succeeds, `false` when the server says the object does not exist (any 404). */
export async function existsBy(lookup: () => Promise<unknown>): Promise<boolean> {
  try {
    await lookup();
    return true;
  } catch (err) {
    if (err instanceof NoSuchObjectError) return false;
    throw err;
  }
}

/** Only the scope (project, schema, signal) of a larger options object, for a follow-up call. */
export function scopeOf(o: SchemaScoped): SchemaScoped {
  const out: SchemaScoped = {};
  if (o.project) out.project = o.project;
  if (o.schema) out.schema = o.schema;
  if (o.signal) out.signal = o.signal;
  return out;
}
