// Project resources (file, py, jar, archive, table): records, temp part files and their merge, size limits.
import { createHash } from 'node:crypto';
import { EmulatorHttpError, httpErrors } from '../errors.js';

export const RESOURCE_TYPES = ['file', 'py', 'jar', 'archive', 'table'] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

/** PyODPS RESOURCE_SIZE_MAX (odps/models/resourcefile.py): one resource holds at most 512 MiB. */
export const MAX_RESOURCE_BYTES = 512 * 1024 * 1024;
const NAME_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,255}$/;

export interface ResourceRecord {
  project: string;
  name: string;
  type: ResourceType;
  comment: string;
  owner: string;
  updator: string;
  isTemp: boolean;
  createTime: Date;
  lastModifiedTime: Date;
  /** Body of a file-like resource; empty for table resources. */
  content: Buffer;
  /** Hex MD5 of `content`. */
  md5: string;
  /** `project.table[ partition(spec)]` of a table resource (x-odps-copy-table-source). */
  tableSource?: string;
}

/** What a create/update request carries besides the body. */
export interface ResourceInput {
  project: string;
  name: string;
  type: ResourceType;
  comment?: string;
  isTemp: boolean;
  tableSource?: string;
  owner: string;
}

export type SaveMode = 'create' | 'overwrite' | 'part';

export function validResourceName(name: string): boolean {
  return NAME_RE.test(name) && name !== '.' && name !== '..';
}

export function noSuchResource(name: string): EmulatorHttpError {
  return httpErrors.notFound('NoSuchObject', `ODPS-0420111:Resource not found - '${name}'.`);
}

export class ResourceStore {
  private readonly byKey = new Map<string, ResourceRecord>();

  /** `onChange(record, removed)` persists one change (the index and, for a body, its file). */
  constructor(
    private readonly now: () => Date,
    private readonly onChange: (record: ResourceRecord, removed: boolean) => void = () => {},
  ) {}

  /** Records loaded from disk; no change callback. */
  restore(record: ResourceRecord): void {
    this.byKey.set(key(record.project, record.name), record);
  }

  all(): ResourceRecord[] {
    return [...this.byKey.values()];
  }

  list(project: string): ResourceRecord[] {
    return this.all()
      .filter((r) => r.project === project)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  get(project: string, name: string): ResourceRecord | undefined {
    return this.byKey.get(key(project, name));
  }

  require(project: string, name: string): ResourceRecord {
    const r = this.get(project, name);
    if (!r) throw noSuchResource(name);
    return r;
  }

  /**
   * Create (409 when it exists), overwrite (404 when it does not) or write a part: parts are temp file
   * resources that replace an existing part of the same name (Java Params.ODPS_RESOURCE_IS_PART).
   */
  save(input: ResourceInput, content: Buffer, mode: SaveMode): ResourceRecord {
    if (!validResourceName(input.name)) throw httpErrors.invalidArgument(`invalid resource name '${input.name}'.`);
    if (content.length > MAX_RESOURCE_BYTES) throw httpErrors.invalidArgument(`resource ${input.name} exceeds ${MAX_RESOURCE_BYTES} bytes.`);
    if (mode === 'part' && (!input.isTemp || input.type === 'table')) {
      throw httpErrors.invalidArgument('a part resource must be a temp file resource.');
    }
    const existing = this.get(input.project, input.name);
    if (mode === 'create' && existing) {
      throw new EmulatorHttpError(409, 'ObjectAlreadyExists', `ODPS-0420111:Resource already exists - '${input.name}'.`);
    }
    if (mode === 'overwrite' && !existing) throw noSuchResource(input.name);
    const at = this.now();
    const record: ResourceRecord = {
      project: input.project,
      name: input.name,
      type: input.type,
      comment: input.comment ?? (mode === 'overwrite' ? existing?.comment ?? '' : ''),
      owner: existing?.owner ?? input.owner,
      updator: input.owner,
      isTemp: input.isTemp,
      createTime: existing?.createTime ?? at,
      lastModifiedTime: at,
      content,
      md5: createHash('md5').update(content).digest('hex'),
      ...(input.tableSource ? { tableSource: input.tableSource } : {}),
    };
    this.byKey.set(key(record.project, record.name), record);
    this.onChange(record, false);
    return record;
  }

  remove(project: string, name: string): void {
    const r = this.require(project, name);
    this.byKey.delete(key(project, name));
    this.onChange(r, true);
  }

  /**
   * The merge call of a chunked upload: body `<md5 hex>|<part>,<part>,...` (PyODPS merge_part_files,
   * Java Resources.mergeTempPartFiles). The parts are joined in the listed order, checked against the
   * declared total and MD5, stored as the resource, then deleted.
   */
  merge(input: ResourceInput, body: string, totalBytesHeader: string | undefined, overwrite: boolean): ResourceRecord {
    const bar = body.indexOf('|');
    const md5 = bar < 0 ? '' : body.slice(0, bar).trim().toLowerCase();
    if (!/^[0-9a-f]{32}$/.test(md5)) throw httpErrors.invalidArgument("merge body must read '<md5 hex>|<part>,<part>,...'.");
    const names = body.slice(bar + 1).split(',').map((s) => s.trim()).filter((s) => s !== '');
    if (names.length === 0) throw httpErrors.invalidArgument('merge body names no part resources.');
    const parts = names.map((n) => {
      const part = this.get(input.project, n);
      if (!part) throw noSuchResource(n);
      if (!part.isTemp) throw httpErrors.invalidArgument(`resource ${n} is not a temp part resource.`);
      return part;
    });
    const total = parts.reduce((n, p) => n + p.content.length, 0);
    if (total > MAX_RESOURCE_BYTES) throw httpErrors.invalidArgument(`resource ${input.name} exceeds ${MAX_RESOURCE_BYTES} bytes.`);
    if (totalBytesHeader !== undefined && Number(totalBytesHeader) !== total) {
      throw httpErrors.invalidArgument(`x-odps-resource-merge-total-bytes is ${totalBytesHeader} but the parts hold ${total} bytes.`);
    }
    const content = Buffer.concat(parts.map((p) => p.content));
    const actual = createHash('md5').update(content).digest('hex');
    if (actual !== md5) throw httpErrors.invalidArgument(`merged content MD5 is ${actual}, the request says ${md5}.`);
    const record = this.save(input, content, overwrite ? 'overwrite' : 'create');
    for (const p of parts) if (p.name !== record.name) this.remove(p.project, p.name);
    return record;
  }
}

function key(project: string, name: string): string {
  return `${project}\u0000${name}`;
}
