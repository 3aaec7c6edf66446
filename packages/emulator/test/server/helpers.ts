// Test helpers: a small in-memory Engine fake and a signed undici request function.
import { signRequest, type Credentials } from '@odps-ts/auth';
import { request } from 'undici';
import type { Engine, PartitionInfo, SqlResult, TableInfo } from '../../src/engine/types.js';
import { SqlError } from '../../src/engine/sql-error.js';
import type { Emulator } from '../../src/index.js';

const T0 = new Date(Date.UTC(2025, 0, 1, 0, 0, 0));

function table(name: string, extra: Partial<TableInfo> = {}): TableInfo {
  return {
    project: 'demo',
    schema: 'default',
    name,
    owner: 'ALIYUN$emulator@localhost',
    comment: `table ${name}`,
    type: 'MANAGED_TABLE',
    columns: [
      { name: 'id', type: 'bigint', comment: 'the id' },
      { name: 'name', type: 'string' },
    ],
    partitionKeys: [],
    lifecycle: -1,
    createTime: T0,
    lastDDLTime: T0,
    lastModifiedTime: T0,
    ...extra,
  };
}

/** A fake engine: 25 plain tables t00..t24, one partitioned table `sales`, scripted SQL. */
export function fakeEngine(): Engine & { executed: string[] } {
  const tables: TableInfo[] = [];
  for (let i = 0; i < 25; i++) tables.push(table(`t${String(i).padStart(2, '0')}`));
  tables.push(
    table('sales', {
      columns: [{ name: 'amount', type: 'double' }],
      partitionKeys: [
        { name: 'ds', type: 'string' },
        { name: 'region', type: 'string' },
      ],
    }),
  );
  tables.sort((a, b) => a.name.localeCompare(b.name));
  const partitions: PartitionInfo[] = [
    { spec: { ds: '20250101', region: 'north' }, createTime: T0, lastModifiedTime: T0, recordCount: 3, size: 24 },
    { spec: { ds: '20250101', region: 'south' }, createTime: T0, lastModifiedTime: T0, recordCount: 2, size: 16 },
    { spec: { ds: '20250102', region: 'north' }, createTime: T0, lastModifiedTime: T0, recordCount: 1, size: 8 },
  ];
  const executed: string[] = [];
  return {
    executed,
    listTables: (_p, opts) => tables.filter((t) => !opts?.prefix || t.name.startsWith(opts.prefix)),
    getTable: (_p, name) => tables.find((t) => t.name === name),
    listPartitions: (_p, name) => (name === 'sales' ? partitions : []),
    async execute(_p, sql): Promise<SqlResult> {
      executed.push(sql);
      await new Promise((r) => setTimeout(r, 20));
      if (/sleep/i.test(sql)) await new Promise((r) => setTimeout(r, 1500));
      if (/^\s*selec\b/i.test(sql)) throw new SqlError('ODPS-0130161', "ODPS-0130161:[1,1] Parse exception - invalid token 'selec'", 'parse');
      if (/^\s*select/i.test(sql)) {
        return {
          isSelect: true,
          columns: [
            { name: 'id', type: 'bigint' },
            { name: 'name', type: 'string' },
            { name: 'ts', type: 'datetime' },
          ],
          rows: [
            [1n, 'plain', new Date(Date.UTC(2025, 0, 2, 3, 4, 5))],
            [2n, 'has,comma "and" quotes', null],
            [null, 'line\nbreak', new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 678))],
          ],
        };
      }
      return { isSelect: false, columns: [], rows: [] };
    },
    readRows: async () => [],
    countRows: async () => 42,
    writeRows: async () => {},
    close: async () => {},
  };
}

export interface CallOptions {
  service?: 'rest' | 'tunnel' | 'admin' | 'public';
  body?: string;
  headers?: Record<string, string>;
  credentials?: Credentials | null;
  version?: 'v2' | 'v4';
  region?: string;
  date?: Date;
}

export interface CallResult {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/** Send a request to the emulator, signed (unless credentials === null) like a client would. */
export async function call(emu: Emulator, method: string, path: string, opts: CallOptions = {}): Promise<CallResult> {
  const service = opts.service ?? 'rest';
  const base = emu.tunnelEndpoint;
  const endpoint = service === 'rest' ? emu.endpoint : base;
  const url = service === 'rest' ? `${emu.endpoint}${path}` : service === 'admin' ? `${emu.adminUrl}${path}` : `${base}${path}`;
  const headers: Record<string, string> = {
    Date: (opts.date ?? new Date()).toUTCString(),
    'x-odps-user-agent': 'odps-ts-test',
    ...(opts.body !== undefined ? { 'Content-Type': 'application/xml' } : {}),
    ...opts.headers,
  };
  const credentials = opts.credentials === undefined ? { accessKeyId: emu.accessKeyId, accessKeySecret: emu.accessKeySecret } : opts.credentials;
  if (credentials) {
    Object.assign(
      headers,
      signRequest({ method, url, headers }, credentials, {
        endpoint,
        signatureVersion: opts.version ?? 'v2',
        ...(opts.region ? { region: opts.region } : {}),
      }),
    );
  }
  const res = await request(url, { method: method as 'GET', headers, ...(opts.body !== undefined ? { body: opts.body } : {}) });
  const text = await res.body.text();
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(',') : v;
  return { status: res.statusCode, headers: flat, text };
}

/** The text of the first `<name>` element (CDATA unwrapped). */
export function xmlText(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>`).exec(xml);
  if (!m) return undefined;
  return (m[1] as string).replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1');
}

export function sqlJob(sql: string, extra: { guid?: string; settings?: Record<string, string> } = {}): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<Instance><Job><Priority>9</Priority>${extra.guid ? `<Guid>${extra.guid}</Guid>` : ''}<Tasks><SQL><Name>AnonymousSQLTask</Name><Config>
<Property><Name>uuid</Name><Value>u-1</Value></Property>
<Property><Name>settings</Name><Value>${JSON.stringify(extra.settings ?? { 'odps.sql.type.system.odps2': 'true' })}</Value></Property>
</Config><Query><![CDATA[${sql}]]></Query></SQL></Tasks><DAG><RunMode>Sequence</RunMode></DAG></Job></Instance>`;
}
