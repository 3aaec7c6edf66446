// One project resource (file, py, jar, archive, table): its metadata and a streamed read of its content.
import { Readable } from 'node:stream';
import { OdpsArgumentError, OdpsError } from '../errors.js';
import type { CallOptions, OdpsContext } from './context.js';
import { parseIntOr, parseTime, withSchema } from './request.js';

export type ResourceType = 'file' | 'py' | 'jar' | 'archive' | 'table' | 'volumefile' | 'volumearchive' | (string & {});

export interface ResourceMeta {
  name: string;
  project: string;
  schemaName?: string;
  /** Lower case, as the meta headers say it (`x-odps-resource-type`). */
  type: ResourceType;
  owner?: string;
  comment?: string;
  lastUpdator?: string;
  size?: number;
  isTemp?: boolean;
  creationTime?: Date;
  lastModifiedTime?: Date;
  /** `project.table[ partition(spec)]` of a table resource. */
  sourceTableName?: string;
  /** Volume path of a volume resource. */
  volumePath?: string;
  /** Content MD5 (hex) when the server gives it. */
  contentMd5?: string;
}

export interface ResourceReadOptions extends CallOptions {
  /** Bytes asked per request (`rSize`), as Java's ResourceInputStream (64 MiB) does; default 64 MiB. */
  windowSize?: number;
  /** Start at this byte. */
  offset?: number;
}

/** Java ResourceInputStream and PyODPS resource_chunk_size: 64 MiB. */
export const DEFAULT_RESOURCE_WINDOW = 64 << 20;

/** Meta of one resource from the `?meta` answer, which carries everything in headers. */
export function resourceMetaFromHeaders(headers: Record<string, string>, name: string, project: string, schema?: string): ResourceMeta {
  const meta: ResourceMeta = { name, project, type: (headers['x-odps-resource-type'] ?? '').toLowerCase() };
  if (schema) meta.schemaName = schema;
  const set = <K extends keyof ResourceMeta>(k: K, v: ResourceMeta[K] | undefined): void => {
    if (v !== undefined && v !== '') meta[k] = v;
  };
  set('owner', headers['x-odps-owner']);
  set('comment', headers['x-odps-comment']);
  set('lastUpdator', headers['x-odps-updator']);
  set('size', parseIntOr(headers['x-odps-resource-size']));
  if (headers['x-odps-resource-istemp'] !== undefined) meta.isTemp = headers['x-odps-resource-istemp'].toLowerCase() === 'true';
  set('creationTime', parseTime(headers['x-odps-creation-time']));
  set('lastModifiedTime', parseTime(headers['last-modified']));
  set('sourceTableName', headers['x-odps-copy-table-source']);
  set('volumePath', headers['x-odps-copy-file-source']);
  set('contentMd5', headers['content-md5']);
  return meta;
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface Resource extends ResourceMeta {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class Resource {
  constructor(
    private readonly ctx: OdpsContext,
    meta: ResourceMeta,
  ) {
    Object.assign(this, meta);
  }

  get isTable(): boolean {
    return this.type === 'table';
  }

  /**
   * The content as a Node stream, fetched window by window (`rOffset`/`rSize`) until the server says
   * `x-odps-resource-has-remaining: false`; nothing is buffered beyond what the consumer has not read.
   */
  open(options: ResourceReadOptions = {}): Readable {
    return Readable.from(readResourceWindows(this.ctx, this, options), { objectMode: false });
  }

  /** The whole content in memory (PyODPS `open_resource(...).read()`); use open() for large files. */
  async read(options: ResourceReadOptions = {}): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of readResourceWindows(this.ctx, this, options)) chunks.push(chunk);
    return Buffer.concat(chunks);
  }
}

async function* readResourceWindows(ctx: OdpsContext, r: ResourceMeta, options: ResourceReadOptions): AsyncGenerator<Buffer, void, undefined> {
  const window = options.windowSize ?? DEFAULT_RESOURCE_WINDOW;
  if (!Number.isSafeInteger(window) || window < 1) throw new OdpsArgumentError(`windowSize must be a positive integer, got ${window}`);
  let offset = options.offset ?? 0;
  if (!Number.isSafeInteger(offset) || offset < 0) throw new OdpsArgumentError(`offset must be a non-negative integer, got ${offset}`);
  for (;;) {
    const res = await ctx.transport.request({
      method: 'GET',
      path: ['projects', r.project, 'resources', r.name],
      query: withSchema({ rOffset: String(offset), rSize: String(window) }, r.schemaName),
      headers: { 'Content-Type': 'application/octet-stream' },
      signal: options.signal,
    });
    let got = 0;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      got += chunk.length;
      yield chunk;
    }
    offset += got;
    if ((res.headers['x-odps-resource-has-remaining'] ?? 'false').toLowerCase() !== 'true') return;
    // A window that says "more" but brought nothing would repeat forever.
    if (got === 0) throw new OdpsError(`resource ${r.name}: the server reported remaining content but sent an empty window at offset ${offset}`, { code: 'ResourceReadStalled' });
  }
}
