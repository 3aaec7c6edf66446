// End-to-end tunnel compression: the client uploads and downloads record and Arrow bodies with each
// codec against the emulator, and a recording dispatcher checks the codec was really on the wire.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, type Dispatcher } from 'undici';
import { AliyunAccount } from '@odps-ts/auth';
import { ODPS, Timestamp, type TunnelCompression } from '@odps-ts/odps-client';
import { startEmulator, type Emulator } from '@odps-ts/emulator';

const COLUMNS = [
  { name: 'id', type: 'bigint' },
  { name: 'name', type: 'string' },
  { name: 'score', type: 'double' },
  { name: 'ts', type: 'timestamp' },
  { name: 'tags', type: 'array<string>' },
];

function row(i: number): unknown[] {
  return [
    BigInt(i) * 7919n,
    i % 11 === 0 ? null : `customer-${i % 300}-región`,
    i % 5 === 0 ? null : i / 8,
    new Timestamp(1_700_000_000n + BigInt(i), (i * 7919) % 1_000_000_000),
    i % 3 === 0 ? [] : [`t${i % 13}`, null],
  ];
}

interface Exchange {
  method: string;
  path: string;
  requestHeaders: Record<string, string>;
  responseHeaders: Record<string, string>;
  responseBytes: number;
}

function lowerHeaders(h: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(h)) {
    for (let i = 0; i + 1 < h.length; i += 2) out[String(h[i]).toLowerCase()] = String(h[i + 1]);
  } else if (h && typeof h === 'object') {
    for (const [k, v] of Object.entries(h)) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  return out;
}

/** An Agent that records every exchange: request headers, response headers and body bytes as received. */
function recordingDispatcher(log: Exchange[]): { dispatcher: Dispatcher; agent: Agent } {
  const agent = new Agent();
  const dispatcher = agent.compose((dispatch) => (opts, handler) => {
    const ex: Exchange = { method: opts.method, path: opts.path, requestHeaders: lowerHeaders(opts.headers), responseHeaders: {}, responseBytes: 0 };
    log.push(ex);
    const wrapped = new Proxy(handler, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver) as unknown;
        if (typeof v !== 'function') return v;
        const fn = v as (...a: unknown[]) => unknown;
        if (prop === 'onResponseStart') {
          return (c: unknown, status: unknown, headers: unknown, ...rest: unknown[]) => {
            ex.responseHeaders = lowerHeaders(headers);
            return fn.call(target, c, status, headers, ...rest);
          };
        }
        if (prop === 'onHeaders') {
          return (status: unknown, raw: unknown, ...rest: unknown[]) => {
            ex.responseHeaders = lowerHeaders((raw as Buffer[]).map((b) => b.toString('latin1')));
            return fn.call(target, status, raw, ...rest);
          };
        }
        if (prop === 'onResponseData') {
          return (c: unknown, chunk: Buffer) => {
            ex.responseBytes += chunk.length;
            return fn.call(target, c, chunk);
          };
        }
        if (prop === 'onData') {
          return (chunk: Buffer) => {
            ex.responseBytes += chunk.length;
            return fn.call(target, chunk);
          };
        }
        return fn.bind(target);
      },
    });
    return dispatch(opts, wrapped);
  });
  return { dispatcher, agent };
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const CODECS: TunnelCompression[] = ['none', 'deflate', 'lz4', 'zstd'];
const RECORD_NAME: Record<TunnelCompression, string | undefined> = { none: undefined, deflate: 'deflate', lz4: 'x-lz4-frame', zstd: 'zstd' };
const ARROW_NAME: Record<TunnelCompression, string | undefined> = { ...RECORD_NAME, lz4: 'x-odps-lz4-frame' };

describe('tunnel compression against the emulator', () => {
  let emu: Emulator;
  let odps: ODPS;
  let agent: Agent;
  const log: Exchange[] = [];
  const N = 4000;
  const expected = Array.from({ length: N }, (_, i) => row(i));
  const dataGets = (): Exchange[] => log.filter((e) => e.method === 'GET' && /[?&]data(&|$)/.test(e.path));
  const blockPuts = (): Exchange[] => log.filter((e) => e.method === 'PUT' && /[?&]blockid=/.test(e.path));
  const downloadBytes: Partial<Record<string, number>> = {};

  beforeAll(async () => {
    emu = await startEmulator({ port: 0 });
    const rec = recordingDispatcher(log);
    agent = rec.agent;
    odps = new ODPS({ account: new AliyunAccount(emu.accessKeyId, emu.accessKeySecret), project: emu.project, endpoint: emu.endpoint, dispatcher: rec.dispatcher });
    for (const c of CODECS) {
      await odps.tables.create(`cmp_${c}`, { columns: COLUMNS });
      await odps.tables.create(`cmp_${c}_arrow`, { columns: COLUMNS });
    }
  });
  afterAll(async () => {
    await odps?.close();
    await agent?.close();
    await emu?.close();
  });

  describe.each(CODECS)('%s', (codec) => {
    it('uploads and downloads the record format with the codec on the wire', async () => {
      const table = await odps.tables.get(`cmp_${codec}`);
      log.length = 0;
      const writer = await table.openWriter({ compress: codec, blockSize: 64 * 1024 });
      for (let i = 0; i < N; i += 1000) await writer.write(expected.slice(i, i + 1000));
      await writer.commit();
      const puts = blockPuts();
      expect(puts.length).toBe(writer.blockIds.length);
      expect(puts.length).toBeGreaterThan(1);
      for (const p of puts) expect(p.requestHeaders['content-encoding']).toBe(RECORD_NAME[codec]);

      log.length = 0;
      const rows = await collect(await table.openReader({ compress: codec }));
      expect(rows).toEqual(expected);
      const [get] = dataGets();
      expect(get!.requestHeaders['accept-encoding']).toBe(RECORD_NAME[codec]);
      expect(get!.responseHeaders['content-encoding']).toBe(RECORD_NAME[codec]);
      downloadBytes[`record-${codec}`] = get!.responseBytes;
    });

    it('uploads and downloads Arrow with the codec on the wire', async () => {
      const source = await collect(await (await odps.tables.get(`cmp_${codec}`)).openArrowReader());
      const target = await odps.tables.get(`cmp_${codec}_arrow`);
      log.length = 0;
      const writer = await target.openArrowWriter({ compress: codec });
      for (const b of source) await writer.write(b);
      await writer.commit();
      for (const p of blockPuts()) expect(p.requestHeaders['content-encoding']).toBe(ARROW_NAME[codec]);
      expect(blockPuts().length).toBeGreaterThan(0);

      log.length = 0;
      const batches = await collect(await target.openArrowReader({ compress: codec }));
      expect(batches.reduce((n, b) => n + b.numRows, 0)).toBe(N);
      const get = dataGets()[0]!;
      expect(get.requestHeaders['accept-encoding']).toBe(ARROW_NAME[codec]);
      expect(get.responseHeaders['content-encoding']).toBe(ARROW_NAME[codec]);
      downloadBytes[`arrow-${codec}`] = get.responseBytes;
      // The rows survived the Arrow round trip too.
      expect(await collect(await target.openReader())).toEqual(expected);
    });
  });

  it('compressed bodies are smaller on the wire than plain ones', () => {
    for (const fmt of ['record', 'arrow']) {
      const plain = downloadBytes[`${fmt}-none`]!;
      expect(plain).toBeGreaterThan(0);
      for (const c of ['deflate', 'lz4', 'zstd']) expect(downloadBytes[`${fmt}-${c}`]!, `${fmt} ${c}`).toBeLessThan(plain * 0.8);
    }
  });

  it.each(['lz4', 'zstd'] as const)('a connection reset mid %s download resumes from the cursor with no lost or doubled rows', async (codec) => {
    const table = await odps.tables.get(`cmp_${codec}`);
    const path = new RegExp(`^/projects/[^/]+/(schemas/[^/]+/)?tables/cmp_${codec}$`);
    emu.faults.set([
      { method: 'GET', pathRegex: path, resetAfterBytes: 3_000, count: 1 },
      { method: 'GET', pathRegex: path, resetAfterBytes: 9_000, count: 1 },
    ]);
    log.length = 0;
    const rows = await collect(await table.openReader({ compress: codec }));
    expect(rows).toEqual(expected);
    expect(emu.faults.list()).toEqual([]);
    const gets = dataGets();
    expect(gets.length).toBeGreaterThanOrEqual(3);
    for (const g of gets) expect(g.responseHeaders['content-encoding']).toBe(RECORD_NAME[codec]);
  });
});
