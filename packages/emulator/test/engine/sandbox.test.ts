// The engine's DuckDB connections refuse host files and setting changes even to SQL that bypasses the translator.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/index.js';
import type { Engine } from '../../src/engine/index.js';

/** The engine's private handles: these tests speak raw DuckDB SQL on purpose. */
interface Handles {
  conn: DuckDBConnection;
  instance: DuckDBInstance;
}

function handles(engine: Engine): Handles {
  return engine as unknown as Handles;
}

const CANARY = 'EngineSandboxCanary-51c2';

describe.each([
  ['in memory', false],
  ['with a data directory', true],
])('engine connection settings (%s)', (_label, persistent) => {
  let dir: string;
  let file: string;
  let engine: Engine;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'odps-engine-sandbox-'));
    file = join(dir, 'canary.csv');
    writeFileSync(file, `secret\n${CANARY}\n`);
    engine = await createEngine(persistent ? { dataDir: join(dir, 'data') } : {});
    await engine.execute('p', 'CREATE TABLE t (id BIGINT)');
  });
  afterAll(async () => {
    await engine?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const RAW_READS = [
    (f: string) => `SELECT content FROM read_text('${f}')`,
    (f: string) => `SELECT * FROM read_csv('${f}')`,
    (f: string) => `SELECT * FROM '${f}'`,
    (f: string) => `SELECT * FROM glob('${f.replace(/[^/]*$/, '*')}')`,
    () => `SELECT * FROM read_text('http://127.0.0.1:9/x')`,
  ];

  async function expectRefused(conn: DuckDBConnection, sql: string, message: RegExp): Promise<void> {
    const outcome = await conn.runAndReadAll(sql).then(
      (r) => `answered ${JSON.stringify(r.getRows(), (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`,
      (err: unknown) => (err as Error).message,
    );
    expect(outcome).not.toContain(CANARY);
    expect(outcome).toMatch(message);
  }

  it('refuses file and network access on the engine connection', async () => {
    for (const read of RAW_READS) await expectRefused(handles(engine).conn, read(file), /file system operations are disabled|Permission Error/);
  });

  it('refuses file access on connections opened later (download snapshots)', async () => {
    const conn = await handles(engine).instance.connect();
    try {
      for (const read of RAW_READS) await expectRefused(conn, read(file), /file system operations are disabled|Permission Error/);
    } finally {
      conn.closeSync();
    }
  });

  it('has the configuration locked: no SET can turn access or extensions back on', async () => {
    for (const conn of [handles(engine).conn, await handles(engine).instance.connect()]) {
      for (const sql of [
        'SET enable_external_access = true',
        'SET GLOBAL enable_external_access = true',
        'SET autoinstall_known_extensions = true',
        'SET autoload_known_extensions = true',
        'SET lock_configuration = false',
        "SET allowed_directories = ['/']",
        'RESET enable_external_access',
      ]) {
        await expectRefused(conn, sql, /configuration has been locked/);
      }
      await expectRefused(conn, "ATTACH '" + join(dir, 'other.db') + "' AS other", /disabled|Permission Error/);
    }
  });

  it('still works: queries, writes and download snapshots', async () => {
    await engine.execute('p', 'INSERT INTO t VALUES (1), (2)');
    const r = await engine.execute('p', 'SELECT count(*) AS n FROM t');
    expect(r.rows).toEqual([[2n]]);
    const snap = await engine.snapshot!('p', 't', {});
    expect(await engine.readSnapshot!(snap.id, { offset: 0, limit: 10 })).toEqual([[1n], [2n]]);
    await engine.dropSnapshot!(snap.id);
  });
});
