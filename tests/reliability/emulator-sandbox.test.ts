// Hostile SQL against the emulator over HTTP: no query may read host files, the network or the emulator's internal schemas.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AliyunAccount } from '@odps-ts/auth';
import { ODPS, SqlError } from '@odps-ts/odps-client';
import { startEmulator, type Emulator } from '@odps-ts/emulator';

/** Written into a host file the attacks aim at: seeing it anywhere means the file was read. */
const CANARY = 'SandboxCanary-7f3e9c1d';

const fnNotFound = (name: string): RegExp => new RegExp(`ODPS-0130071:\\[\\d+,\\d+\\] Semantic analysis exception - Function ${name} not found`);
const tableNotFound = /ODPS-0130131:\[\d+,\d+\] Table not found/;
const stringAsTable = /ODPS-0130071:\[\d+,\d+\] Semantic analysis exception - a table name is expected, not the string/;
const parseFailure = /ODPS-0130161:\[\d+,\d+\] Parse exception/;
const statementInQuery = (word: string): RegExp => new RegExp(`ODPS-0130071:\\[\\d+,\\d+\\] Semantic analysis exception - ${word} cannot be used inside a query`);
const reservedCteName = /ODPS-0130071:\[\d+,\d+\] Semantic analysis exception - '\w+' cannot be used as a WITH query name/;

/** [attack, the error it must fail with]; `$F` is a host file holding the canary, `$D` its directory. */
const ATTACKS: [string, RegExp][] = [
  // DuckDB file, network and catalog functions, in every spelling and position
  ["select content from read_text('$F')", fnNotFound('read_text')],
  ["SELECT * FROM read_csv('$F')", fnNotFound('read_csv')],
  ["select * from read_csv_auto('$F')", fnNotFound('read_csv_auto')],
  ["select content from read_blob('$F')", fnNotFound('read_blob')],
  ["select * from glob('$D/*')", fnNotFound('glob')],
  ["sElEcT * FrOm GLOB('/etc/*')", fnNotFound('GLOB')],
  ['select * from query_table(\'"__odps_meta".tables\')', fnNotFound('query_table')],
  ["select * from query('select 1')", fnNotFound('query')],
  ["select getenv('HOME')", fnNotFound('getenv')],
  ["select current_setting('temp_directory')", fnNotFound('current_setting')],
  ['select * from duckdb_settings()', fnNotFound('duckdb_settings')],
  ['select * from duckdb_tables()', fnNotFound('duckdb_tables')],
  ['select * from duckdb_databases()', fnNotFound('duckdb_databases')],
  ['select count(*) from duckdb_columns()', fnNotFound('duckdb_columns')],
  ['select * from pragma_database_list()', fnNotFound('pragma_database_list')],
  ["select * from read_parquet('$D/x.parquet')", fnNotFound('read_parquet')],
  ["select * from parquet_scan('$D/x.parquet')", fnNotFound('parquet_scan')],
  ["select * from read_json_auto('$F')", fnNotFound('read_json_auto')],
  ["select * from sniff_csv('$F')", fnNotFound('sniff_csv')],
  ["select * from read_text('http://example.com/x')", fnNotFound('read_text')],
  ["select * from READ_TEXT('$F')", fnNotFound('READ_TEXT')],
  ["select * from ReAd_TeXt /* comment */ ('$F')", fnNotFound('ReAd_TeXt')],
  ["select * from read_text -- comment\n('$F')", fnNotFound('read_text')],
  ["select * from `read_text`('$F')", fnNotFound('read_text')],
  ["select (select content from read_text('$F'))", fnNotFound('read_text')],
  ["select id from sbx_t where id in (select length(content) from read_text('$F'))", fnNotFound('read_text')],
  ["select upper(read_text('$F'))", fnNotFound('read_text')],
  ["select if(true, (select content from read_text('$F')), 'x')", fnNotFound('read_text')],
  ["select transform(array(1), x -> 1)", fnNotFound('transform')],
  ["select list_transform([1], x -> (select content from read_text('$F')))", fnNotFound('list_transform')],
  ["select * from sbx_t, read_text('$F')", fnNotFound('read_text')],
  ["select * from sbx_t a join read_text('$F') b on true", fnNotFound('read_text')],
  ["select * from sbx_t, lateral read_text('$F')", fnNotFound('read_text')],
  ["with x as (select * from read_text('$F')) select * from x", fnNotFound('read_text')],
  ["insert into sbx_t select length(content) from read_text('$F')", fnNotFound('read_text')],
  ["create table sbx_leak as select content from read_text('$F')", fnNotFound('read_text')],
  ["create view sbx_v as select * from read_text('$F')", fnNotFound('read_text')],
  ['select * from range(10)', fnNotFound('range')],
  ["select columns('.*') from sbx_t", fnNotFound('columns')],
  // the internal schemas and DuckDB's system views, by name
  ['select * from __odps_meta.tables', tableNotFound],
  ['select * from `__odps_meta`.`tables`', tableNotFound],
  ['select * from demo.__odps_meta.tables', tableNotFound],
  ['select * from __odps_results.main.r1', tableNotFound],
  ['select * from information_schema.tables', tableNotFound],
  ['select * from duckdb_tables', tableNotFound],
  ['select * from sqlite_master', tableNotFound],
  ['select * from pg_catalog.pg_tables', tableNotFound],
  ['select * from pg_tables', tableNotFound],
  ['select * from pragma_database_list', tableNotFound],
  ['select * from sbx_t join duckdb_views on true', tableNotFound],
  ['select * from sbx_t where exists (from duckdb_tables)', tableNotFound],
  ['with a as (select * from b), b as (select 1 as x) select * from a', tableNotFound],
  ['select * from (with c as (select 1 as x) select * from c) s, c', tableNotFound],
  ['select 1 from sbx_t, sqlite_master window sqlite_master as (order by 1)', tableNotFound],
  ['select * from (with duckdb_tables as (select 1) select 1) x, duckdb_tables', reservedCteName],
  // strings in table position (DuckDB replacement scans read them as files)
  ["SELECT * FROM '$F'", stringAsTable],
  ['select * from "__odps_meta".tables', stringAsTable],
  ["select * from 'data.csv'", stringAsTable],
  ["select * from sbx_t a, '$F'", stringAsTable],
  ["select * from sbx_t a join '$F' b on true", stringAsTable],
  // DuckDB statements and statement-like subqueries
  ['pragma database_list', parseFailure],
  ["attach '$D/x.db' as x", parseFailure],
  ["copy (select 1) to '$D/out.csv'", parseFailure],
  ['install httpfs', parseFailure],
  ['load httpfs', parseFailure],
  ["export database '$D/export'", parseFailure],
  ['call duckdb_settings()', parseFailure],
  ['detach __odps_results', parseFailure],
  ['checkpoint', parseFailure],
  ["set enable_external_access=true;\nselect content from read_text('$F')", fnNotFound('read_text')],
  ['select * from (describe sbx_t)', statementInQuery('DESCRIBE')],
  ['select * from (desc sbx_t)', statementInQuery('DESC')],
  ['select * from (show all tables)', statementInQuery('SHOW')],
  ['select * from (summarize sbx_t)', statementInQuery('SUMMARIZE')],
  ['select * from (table sbx_t)', statementInQuery('TABLE')],
  ['select 1 union all (show databases)', statementInQuery('SHOW')],
  ['select 1 union all show databases', statementInQuery('SHOW')],
];

describe('emulator SQL sandbox (hostile queries over HTTP)', () => {
  let emu: Emulator;
  let odps: ODPS;
  let dir: string;
  let file: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'odps-sandbox-'));
    file = join(dir, 'canary.csv');
    writeFileSync(file, `secret\n${CANARY}\n`);
    emu = await startEmulator({ port: 0 });
    odps = new ODPS({
      account: new AliyunAccount(emu.accessKeyId, emu.accessKeySecret),
      project: emu.project,
      endpoint: emu.endpoint,
      retry: { baseDelayMs: 5, maxDelayMs: 20 },
    });
    await odps.executeSql('CREATE TABLE sbx_t (id BIGINT)');
    await odps.executeSql('INSERT INTO sbx_t VALUES (1), (2)');
  });
  afterAll(async () => {
    await odps?.close();
    await emu?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('tries more than 40 attacks', () => {
    expect(ATTACKS.length).toBeGreaterThan(40);
  });

  it.each(ATTACKS)('refuses %s', async (attack, expected) => {
    const sql = attack.replaceAll('$F', file).replaceAll('$D', dir);
    const outcome = await odps.executeSql(sql).then(
      async (inst) => ({ ok: true as const, rows: JSON.stringify(await inst.getResult()) }),
      (err: unknown) => ({ ok: false as const, err }),
    );
    expect(outcome.ok ? `answered ${outcome.rows}` : '').toBe('');
    if (outcome.ok) return;
    expect(outcome.err).toBeInstanceOf(SqlError);
    const message = (outcome.err as Error).message;
    expect(message).toMatch(expected);
    expect(message).not.toContain(CANARY);
  });

  it('still answers ordinary MaxCompute queries, CTEs included', async () => {
    const inst = await odps.executeSql(
      'with a as (select id from sbx_t), b as (select id * 10 as v from a) select count(*) as n, max(v) as m from b',
    );
    const result = await inst.getResult();
    expect(result.rows.map((r) => r.map(String))).toEqual([['2', '20']]);
  });
});
