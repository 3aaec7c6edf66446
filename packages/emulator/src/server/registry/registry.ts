// Resources and functions of every project, loaded from and saved under the data directory when there is one.
import type { FunctionRecord } from './function-store.js';
import { FunctionStore } from './function-store.js';
import { RegistryFiles } from './registry-files.js';
import { ResourceStore, type ResourceRecord } from './resource-store.js';

type StoredResource = Omit<ResourceRecord, 'content' | 'createTime' | 'lastModifiedTime'> & { createTime: number; lastModifiedTime: number; contentKey: string };
type StoredFunction = Omit<FunctionRecord, 'createTime'> & { createTime: number };

export class Registry {
  readonly resources: ResourceStore;
  readonly functions: FunctionStore;
  private readonly files: RegistryFiles | undefined;

  constructor(now: () => Date, dataDir?: string) {
    this.files = dataDir ? new RegistryFiles(dataDir) : undefined;
    this.resources = new ResourceStore(now, (record, removed) => this.resourceChanged(record, removed));
    this.functions = new FunctionStore(this.resources, now, () => this.saveIndex());
    if (this.files) this.load(this.files);
  }

  private load(files: RegistryFiles): void {
    const index = files.loadIndex();
    for (const s of index.resources as StoredResource[]) {
      const { contentKey, ...rest } = s;
      this.resources.restore({
        ...rest,
        createTime: new Date(s.createTime),
        lastModifiedTime: new Date(s.lastModifiedTime),
        content: s.type === 'table' ? Buffer.alloc(0) : files.readContent(contentKey),
      });
    }
    for (const s of index.functions as StoredFunction[]) this.functions.restore({ ...s, createTime: new Date(s.createTime) });
  }

  private resourceChanged(record: ResourceRecord, removed: boolean): void {
    if (!this.files) return;
    const contentKey = this.files.contentKey(record.project, record.name);
    // Body first, index second: a crash in between leaves the old index pointing at a whole file.
    if (removed) {
      this.saveIndex();
      this.files.deleteContent(contentKey);
    } else {
      if (record.type !== 'table') this.files.writeContent(contentKey, record.content);
      this.saveIndex();
    }
  }

  private saveIndex(): void {
    if (!this.files) return;
    const files = this.files;
    const resources: StoredResource[] = this.resources.all().map(({ content: _content, ...r }) => ({
      ...r,
      createTime: r.createTime.getTime(),
      lastModifiedTime: r.lastModifiedTime.getTime(),
      contentKey: files.contentKey(r.project, r.name),
    }));
    const functions: StoredFunction[] = this.functions.all().map((f) => ({ ...f, createTime: f.createTime.getTime() }));
    files.saveIndex({ resources, functions });
  }
}
