// Uploading a file resource: one request when it fits a part, else temp part resources and a merge call.
import { createHash, randomInt } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { OdpsArgumentError } from '../errors.js';
import type { OdpsContext } from './context.js';
import { DEFAULT_RESOURCE_WINDOW } from './resource.js';
import { withSchema } from './request.js';

/** Bytes, a Node/web readable of bytes, or a local file path. */
export type ResourceSource = Uint8Array | Readable | AsyncIterable<Uint8Array> | string;

export interface FileUpload {
  project: string;
  schema: string | undefined;
  name: string;
  /** Lower case: file, py, jar, archive. */
  type: string;
  comment?: string;
  temp?: boolean;
  overwrite: boolean;
  /** Bytes per part (PyODPS options.resource_chunk_size, Java Resources.chunkSize: 64 MiB). */
  partSize?: number;
  signal?: AbortSignal;
}

/** Part resources a failed upload left behind are deleted; deleting never hides the upload's own error. */
export async function uploadFileResource(ctx: OdpsContext, up: FileUpload, source: ResourceSource): Promise<void> {
  const partSize = up.partSize ?? DEFAULT_RESOURCE_WINDOW;
  if (!Number.isSafeInteger(partSize) || partSize < 1) throw new OdpsArgumentError(`partSize must be a positive integer, got ${partSize}`);
  const md5 = createHash('md5');
  const parts: string[] = [];
  // PyODPS part names: <name>.part.tmp.<random 6 digits>.<counter 6 digits> (odps/models/resourcefile.py).
  const tag = String(randomInt(0, 1_000_000)).padStart(6, '0');
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let total = 0;
  const flushPart = async (bytes: Buffer): Promise<void> => {
    const partName = `${up.name}.part.tmp.${tag}.${String(parts.length).padStart(6, '0')}`;
    parts.push(partName);
    md5.update(bytes);
    await postPart(ctx, up, partName, bytes);
  };
  try {
    for await (const chunk of chunksOf(source)) {
      let buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      total += buf.length;
      while (pendingBytes + buf.length > partSize) {
        const take = partSize - pendingBytes;
        pending.push(buf.subarray(0, take));
        buf = buf.subarray(take);
        await flushPart(Buffer.concat(pending));
        pending = [];
        pendingBytes = 0;
      }
      if (buf.length > 0) {
        pending.push(buf);
        pendingBytes += buf.length;
      }
    }
    const rest = Buffer.concat(pending);
    if (parts.length === 0) {
      await putWhole(ctx, up, rest);
      return;
    }
    if (rest.length > 0) await flushPart(rest);
    await merge(ctx, up, `${md5.digest('hex')}|${parts.join(',')}`, total);
  } catch (err) {
    await Promise.allSettled(parts.map((p) => ctx.transport.request({ method: 'DELETE', path: ['projects', up.project, 'resources', p], query: withSchema({}, up.schema) })));
    throw err;
  }
}

async function* chunksOf(source: ResourceSource): AsyncGenerator<Uint8Array, void, undefined> {
  if (typeof source === 'string') {
    yield* createReadStream(source) as AsyncIterable<Buffer>;
  } else if (source instanceof Uint8Array) {
    yield source;
  } else {
    for await (const chunk of source as AsyncIterable<unknown>) {
      if (typeof chunk === 'string') yield Buffer.from(chunk, 'utf8');
      else if (chunk instanceof Uint8Array) yield chunk;
      else throw new OdpsArgumentError('a resource stream must yield bytes (Buffer/Uint8Array) or strings');
    }
  }
}

function fileHeaders(name: string, type: string): Record<string, string> {
  return {
    'Content-Type': 'application/octet-stream',
    'Content-Disposition': `attachment;filename=${name}`,
    'x-odps-resource-type': type,
    'x-odps-resource-name': name,
  };
}

/** Java Resources.createTempPartFile: a temp file resource, `rIsPart=true`, which the server overwrites. */
async function postPart(ctx: OdpsContext, up: FileUpload, partName: string, bytes: Buffer): Promise<void> {
  await ctx.transport.request({
    method: 'POST',
    path: ['projects', up.project, 'resources'],
    query: withSchema({ rIsPart: 'true' }, up.schema),
    headers: { ...fileHeaders(partName, 'file'), 'x-odps-resource-istemp': 'true' },
    body: bytes,
    // A part of the same name replaces the earlier one (Java Params.ODPS_RESOURCE_IS_PART), so a retry is safe.
    idempotent: true,
    signal: up.signal,
  }).then((res) => res.dump());
}

function target(up: FileUpload): { method: 'POST' | 'PUT'; path: string[] } {
  return up.overwrite
    ? { method: 'PUT', path: ['projects', up.project, 'resources', up.name] }
    : { method: 'POST', path: ['projects', up.project, 'resources'] };
}

function ownHeaders(up: FileUpload): Record<string, string> {
  const h = fileHeaders(up.name, up.type);
  if (up.comment !== undefined) h['x-odps-comment'] = up.comment;
  if (up.temp) h['x-odps-resource-istemp'] = 'true';
  return h;
}

async function putWhole(ctx: OdpsContext, up: FileUpload, bytes: Buffer): Promise<void> {
  const res = await ctx.transport.request({ ...target(up), query: withSchema({}, up.schema), headers: ownHeaders(up), body: bytes, signal: up.signal });
  await res.dump();
}

/** PyODPS Resources.merge_part_files / Java mergeTempPartFiles: `rOpMerge=true`, body `md5|part,part`. */
async function merge(ctx: OdpsContext, up: FileUpload, body: string, total: number): Promise<void> {
  const headers = { ...ownHeaders(up), 'x-odps-resource-merge-total-bytes': String(total) };
  const res = await ctx.transport.request({ ...target(up), query: withSchema({ rOpMerge: 'true' }, up.schema), headers, body, signal: up.signal });
  await res.dump();
}
