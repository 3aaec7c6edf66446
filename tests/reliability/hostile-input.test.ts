// Bad input: hostile/malformed XML and oversized bodies from a fake loopback server, broken tunnel streams, bad names.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ChecksumError, encodeRecordStream, InvalidIdentifierError, InvalidPartitionSpecError, ODPS, OdpsArgumentError, OdpsError,
  PartitionSpec, TableDownloadSession, TunnelError, type Column, type Row,
} from '@odps-ts/odps-client';
import { CredentialProviderAccount } from '@odps-ts/auth';
import { Observed, RecordingAccount, ROOT_KEY_ID, ROOT_SECRET, within } from './helpers.js';

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>;

const COLUMNS: Column[] = [
  { name: 'id', type: 'bigint' },
  { name: 'name', type: 'string' },
  { name: 'score', type: 'double' },
];
const N = 3000;
const ROWS: Row[] = Array.from({ length: N }, (_, i) => [BigInt(i), `row-${i}`, i / 3]);

describe('reliability: hostile and malformed input', () => {
  let server: Server;
  let base = '';
  let handler: Handler = (_q, res) => void res.writeHead(500).end();
  let requests: string[] = [];
  let bytesSent = 0;
  const observed = new Observed();
  const clients: ODPS[] = [];

  function client(): ODPS {
    const account = new CredentialProviderAccount(async () => ({ accessKeyId: ROOT_KEY_ID, accessKeySecret: ROOT_SECRET }));
    const odps = new ODPS({
      account: new RecordingAccount(account, observed),
      project: 'p',
      endpoint: `${base}/api`,
      tunnelEndpoint: base,
      retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 20 },
      logger: observed.logger,
    });
    clients.push(odps);
    return odps;
  }

  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      requests.push(`${req.method} ${url.pathname}${url.search}`);
      req.resume();
      Promise.resolve(handler(req, res, url)).catch(() => res.destroy());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => {
    requests = [];
    bytesSent = 0;
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    observed.dispose();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    expect(observed.leaks()).toEqual([]);
  });

  const xml = (status: number, body: string): Handler => (_q, res) => {
    res.writeHead(status, { 'content-type': 'application/xml', 'x-odps-request-id': 'FAKE' }).end(body);
  };

  /** Waits for 'drain' or 'close', removing the other listener so waits don't pile up on `res`. */
  const drainOrClose = (res: ServerResponse): Promise<void> =>
    new Promise<void>((resolve) => {
      const done = (): void => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.once('drain', done);
      res.once('close', done);
    });

  /** Streams `total` bytes of `unit` repeated, counting what the socket accepted, stopping when the client leaves. */
  const huge = (status: number, head: string, unit: string, total: number): Handler => async (_q, res) => {
    res.writeHead(status, { 'content-type': 'application/xml' });
    res.write(head);
    const chunk = Buffer.from(unit.repeat(Math.ceil(65536 / unit.length)));
    let sent = 0;
    while (sent < total && !res.destroyed) {
      const ok = res.write(chunk);
      sent += chunk.length;
      bytesSent = sent;
      if (!ok) await drainOrClose(res);
    }
    if (!res.destroyed) res.end('</Table>');
  };

  describe('XML guards', () => {
    it('refuses a DOCTYPE with entity expansion (billion laughs) as InvalidXml, quickly', async () => {
      const laughs = [
        '<?xml version="1.0"?>',
        '<!DOCTYPE lolz [<!ENTITY lol "lol">',
        ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`),
        ']>',
        '<Table><Name>&lol9;</Name></Table>',
      ].join('\n');
      handler = xml(200, laughs);
      const started = Date.now();
      const err = await observed.failure(client().tables.get('t'));
      expect(err).toBeInstanceOf(OdpsError);
      expect((err as OdpsError).code).toBe('InvalidXml');
      expect(Date.now() - started).toBeLessThan(2000);
    });

    it('an error answer with a DOCTYPE still yields a typed error with the HTTP status', async () => {
      handler = xml(403, '<!DOCTYPE x [<!ENTITY a "aaaa">]><Error><Code>&a;</Code><Message>m</Message></Error>');
      const err = await observed.failure(client().tables.get('t'));
      expect(err).toBeInstanceOf(OdpsError);
      expect((err as OdpsError).status).toBe(403);
    });

    it('deeply nested XML (200k levels) fails typed, bounded in time, no stack overflow escapes', async () => {
      const depth = 200_000;
      handler = xml(200, `<?xml version="1.0"?><Table>${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}</Table>`);
      const started = Date.now();
      const outcome = await within(10_000, client().tables.get('t').then(() => 'parsed', (e: unknown) => observed.error(e)), 'deep XML');
      expect(outcome).toBeInstanceOf(OdpsError);
      expect(Date.now() - started).toBeLessThan(8000);
    });

    it('malformed and non-XML bodies become typed errors', async () => {
      for (const body of ['<Table><Name>x</Name>', '<<<>>>&&&', 'plain text, not xml', '<Table><Name>a</Wrong></Table>']) {
        handler = xml(200, body);
        const err = await observed.failure(client().tables.get('t'));
        expect(err, body).toBeInstanceOf(OdpsError);
      }
      handler = (_q, res) => void res.writeHead(502, { 'content-type': 'text/html' }).end('<html><body>Bad Gateway</body></html>');
      const err = await observed.failure(client().tables.get('t'));
      expect(err).toBeInstanceOf(OdpsError);
      expect((err as OdpsError).status).toBe(502);
      expect((err as Error).message).toMatch(/HTML/);
    });

    it('a 50 MB success body is refused (BodyTooLarge) without buffering it all', async () => {
      handler = huge(200, '<?xml version="1.0"?><Table><Name>t</Name><Comment>', 'x'.repeat(64), 50 * 1024 * 1024);
      const heap0 = process.memoryUsage();
      const started = Date.now();
      const err = await observed.failure(within(15_000, client().tables.get('t'), '50 MB body'));
      expect(err).toBeInstanceOf(OdpsError);
      expect((err as OdpsError).code).toBe('BodyTooLarge');
      expect(Date.now() - started).toBeLessThan(10_000);
      const heap1 = process.memoryUsage();
      // The cap is 16 MB of text; well under the 50 MB offered (allow for the 16 MB chunks held + GC lag).
      expect(heap1.heapUsed + heap1.arrayBuffers - heap0.heapUsed - heap0.arrayBuffers).toBeLessThan(48 * 1024 * 1024);
      await new Promise((r) => setTimeout(r, 50));
      expect(bytesSent).toBeLessThan(50 * 1024 * 1024);
    });

    it('a 50 MB error body gives a typed error with the status, in bounded time', async () => {
      handler = huge(404, '<?xml version="1.0"?><Error><Code>NoSuchTable</Code><Message>', 'y'.repeat(64), 50 * 1024 * 1024);
      const err = await observed.failure(within(15_000, client().tables.get('t'), '50 MB error body'));
      expect(err).toBeInstanceOf(OdpsError);
      expect((err as OdpsError).status).toBe(404);
    });
  });

  describe('broken tunnel streams', () => {
    /** A fake tunnel: sessions over ROWS, data bodies built per rowrange then passed through `mutate`. */
    function tunnel(mutate: (body: Buffer, start: number) => Buffer, sessionBody?: string): Handler {
      return (req, res, url) => {
        const json = (s: number, b: string): void => void res.writeHead(s, { 'content-type': 'application/json' }).end(b);
        if (req.method === 'POST' && url.searchParams.has('downloads')) {
          return json(200, sessionBody ?? JSON.stringify({
            DownloadID: 'd1', Status: 'NORMAL', RecordCount: N,
            Schema: { columns: COLUMNS.map((c) => ({ name: c.name, type: c.type, nullable: true })), partitionKeys: [] },
          }));
        }
        const m = /^\((\d+),(\d+)\)$/.exec(url.searchParams.get('rowrange') ?? '');
        if (req.method === 'GET' && url.searchParams.has('data') && m) {
          const start = Number(m[1]);
          const body = Buffer.from(encodeRecordStream(COLUMNS, ROWS.slice(start, start + Number(m[2]))));
          res.writeHead(200, { 'content-type': 'application/octet-stream' });
          return void res.end(mutate(body, start));
        }
        return json(400, '{"Code":"InvalidArgument","Message":"unexpected"}');
      };
    }
    const dataGets = (): number => requests.filter((r) => r.startsWith('GET') && r.includes('rowrange')).length;
    async function readAll(odps: ODPS): Promise<Row[]> {
      const s = await TableDownloadSession.create(odps, { project: 'p', name: 't' });
      const out: Row[] = [];
      for await (const r of s.openRecordReader({ maxAttempts: 3 })) out.push(r);
      return out;
    }

    it('a flipped byte inside the body is a ChecksumError and is not retried', async () => {
      handler = tunnel((b) => {
        const c = Buffer.from(b);
        const i = c.indexOf(Buffer.from('row-1500'));
        c[i + 5] = 0x39; // 'row-1500' -> 'row-1900' keeps every length: only the CRC can tell
        return c;
      });
      const err = await observed.failure(readAll(client()));
      expect(err).toBeInstanceOf(ChecksumError);
      expect((err as ChecksumError).recordIndex).toBe(1500);
      expect(dataGets()).toBe(1);
    });

    it('a body cut before the first row, every time, ends in a typed TunnelError after bounded reopens', async () => {
      handler = tunnel((b) => b.subarray(0, 3));
      const err = await observed.failure(within(10_000, readAll(client()), 'truncated reads'));
      expect(err).toBeInstanceOf(TunnelError);
      expect((err as TunnelError).code).toBe('TruncatedStream');
      expect(dataGets()).toBe(3);
    });

    it('bodies that end cleanly but without the footer are resumed from the cursor: all rows, once', async () => {
      handler = tunnel((b) => b.subarray(0, Math.max(200, Math.floor(b.length * 0.6))));
      const rows = await within(20_000, readAll(client()), 'resumed truncated reads');
      expect(rows).toEqual(ROWS);
      expect(dataGets()).toBeGreaterThan(1);
    });

    it('a missing or altered footer count is a typed error', async () => {
      handler = tunnel((b) => {
        const c = Buffer.from(b);
        const at = c.lastIndexOf(Buffer.from([0xf0, 0xff, 0xff, 0x7f]));
        c[at + 4] = (c[at + 4]! + 2) & 0x7f; // META_COUNT off by one
        return c;
      });
      const err = await observed.failure(readAll(client()));
      expect(err).toBeInstanceOf(TunnelError);
    });

    it('an unparsable or incomplete session answer is a typed error', async () => {
      handler = tunnel((b) => b, '{"DownloadID": "d1", "Status": ');
      expect(await observed.failure(readAll(client()))).toBeInstanceOf(OdpsError);
      handler = tunnel((b) => b, '{"Status":"NORMAL","RecordCount":3}');
      expect(await observed.failure(readAll(client()))).toBeInstanceOf(TunnelError);
      handler = tunnel((b) => b, JSON.stringify({ DownloadID: 'd', Status: 'NORMAL', RecordCount: 1, Schema: { columns: [{ name: 'x', type: 'no_such_type<' }] } }));
      expect(await observed.failure(readAll(client()))).toBeInstanceOf(Error);
    });
  });

  describe('invalid names and partition specs (typed, named, nothing sent)', () => {
    it('rejects bad identifiers before any request', async () => {
      const odps = client();
      // Table names may hold any printable text (they are quoted in SQL and percent-encoded in paths);
      // empty, over-long and control-character names are refused, naming the problem.
      const cases: [string, RegExp][] = [['', /non-empty/], ['a\nb', /control characters/], ['tab\tname', /control characters/], ['Ω'.repeat(200), /longer than 128/]];
      for (const [name, why] of cases) {
        const err = await observed.failure(odps.tables.get(name));
        expect(err, JSON.stringify(name)).toBeInstanceOf(InvalidIdentifierError);
        expect((err as Error).message).toMatch(why);
      }
      expect(() => new ODPS({ account: new CredentialProviderAccount(async () => ({ accessKeyId: 'a', accessKeySecret: 'b' })), project: 'bad project!', endpoint: base })).toThrow(OdpsArgumentError);
      expect(requests).toEqual([]);
    });

    it('rejects bad partition specs with the reason, before any request', async () => {
      const cases: [string, RegExp][] = [
        ["ds='unterminated", /unterminated/],
        ['ds', /missing '='/],
        ['ds=1,', /trailing separator/],
        ['1ds=2', /invalid key/],
        ['ds=1,ds=2', /given twice/],
        ["ds=''", /value of ds is empty/],
        ['ds=a=b', /unexpected character/],
      ];
      for (const [text, why] of cases) {
        let err: unknown;
        try {
          PartitionSpec.parse(text);
        } catch (e) {
          err = observed.error(e);
        }
        expect(err, text).toBeInstanceOf(InvalidPartitionSpecError);
        expect((err as Error).message, text).toMatch(why);
      }
      const err = await observed.failure(TableDownloadSession.create(client(), { project: 'p', name: 't' }, { partition: "ds='x" }));
      expect(err).toBeInstanceOf(InvalidPartitionSpecError);
      expect(requests).toEqual([]);
    });
  });
});
