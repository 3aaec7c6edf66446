// Persistence of resources and functions under the data directory: one JSON index plus one file per resource body.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What the index file holds; each store owns its own list. */
export interface RegistryIndex {
  resources: unknown[];
  functions: unknown[];
}

const INDEX = 'registry.json';

/** Files under `<dir>/registry`; every write lands atomically (temporary file, then rename). */
export class RegistryFiles {
  private readonly dir: string;
  private readonly contentDir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'registry');
    this.contentDir = join(this.dir, 'content');
    mkdirSync(this.contentDir, { recursive: true });
  }

  loadIndex(): RegistryIndex {
    const path = join(this.dir, INDEX);
    if (!existsSync(path)) return { resources: [], functions: [] };
    let parsed: Partial<RegistryIndex>;
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<RegistryIndex>;
    } catch (err) {
      // Starting with an empty registry would silently lose every resource and function: refuse instead.
      throw new Error(`the resource/function registry ${path} is unreadable: ${(err as Error).message}`, { cause: err });
    }
    return { resources: parsed.resources ?? [], functions: parsed.functions ?? [] };
  }

  saveIndex(index: RegistryIndex): void {
    atomicWrite(join(this.dir, INDEX), JSON.stringify(index));
  }

  /** Content files are named by a hash, so any resource name maps to a safe file name. */
  contentKey(project: string, name: string): string {
    return createHash('sha256').update(`${project}\u0000${name}`).digest('hex');
  }

  readContent(key: string): Buffer {
    return readFileSync(join(this.contentDir, key));
  }

  writeContent(key: string, content: Buffer): void {
    atomicWrite(join(this.contentDir, key), content);
  }

  deleteContent(key: string): void {
    rmSync(join(this.contentDir, key), { force: true });
  }
}

function atomicWrite(path: string, data: string | Buffer): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}
