// Schemas in the engine: registry, persistence in dataDir, rollback with the failing statement, name rules.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, SqlError } from '../../src/engine/index.js';
import type { Engine } from '../../src/engine/index.js';

describe('engine schemas', () => {
  const dirs: string[] = [];
  let e: Engine | undefined;
  afterEach(async () => {
    await e?.close();
    e = undefined;
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('keeps created schemas and their tables across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'odps-schemas-'));
    dirs.push(dir);
    e = await createEngine({ dataDir: dir });
    await e.createSchema!('p', 'Sales', { comment: 'c' });
    await e.execute('p', 'CREATE TABLE sales.t (id BIGINT); INSERT INTO sales.t VALUES (1)', { namespaceSchema: true });
    await e.close();
    e = await createEngine({ dataDir: dir });
    expect(e.listSchemas!('p').map((s) => [s.name, s.comment])).toEqual([['default', ''], ['sales', 'c']]);
    expect(await e.readRows('p', 't', { schema: 'sales' })).toEqual([[1n]]);
  });

  it('a failing script statement leaves no half-made schema; the meta schema is never a user schema', async () => {
    e = await createEngine({});
    await expect(e.execute('p', 'CREATE SCHEMA ok1; CREATE SCHEMA ok1')).rejects.toBeInstanceOf(SqlError);
    expect(e.listSchemas!('p').map((s) => s.name)).toEqual(['default', 'ok1']);
    for (const bad of ['__odps_meta', '__ODPS_META', '__x']) {
      await expect(e.createSchema!('p', bad)).rejects.toThrow(/reserved/);
    }
    await expect(e.execute('p', 'SELECT * FROM __odps_meta.tables')).rejects.toBeInstanceOf(SqlError);
    await expect(e.execute('p', 'CREATE SCHEMA x', { namespaceSchema: false })).rejects.toThrow(/three-tier/);
    await expect(e.execute('p', 'CREATE SCHEMA other.x')).rejects.toThrow(/current project/);
    expect(e.listSchemas!('p').map((s) => s.name)).toEqual(['default', 'ok1']);
    expect(e.listSchemas!('q').map((s) => s.name)).toEqual(['default']);
  });
});
