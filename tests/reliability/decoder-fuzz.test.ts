// Seeded fuzz of the record and Arrow tunnel decoders: mutated valid streams must decode to the original rows or throw typed.
import { describe, expect, it } from 'vitest';
import {
  arrowBatchToRows, arrowSchemaFor, deframeArrowBody, frameArrowPayload, decodeArrowBody, encodeArrowBatches, encodeRecordStream, IntervalYearMonth, OdpsError,
  RecordStreamDecoder, Timestamp, type Column, type Row,
} from '@odps-ts/odps-client';
import { rowsToRecordBatch } from '../../packages/emulator/src/server/tunnel/rows-to-arrow.js';
import { prng } from '../support/prng.js';

const RECORD_COLUMNS: Column[] = [
  { name: 'id', type: 'bigint' },
  { name: 'i', type: 'int' },
  { name: 'name', type: 'string' },
  { name: 'd', type: 'double' },
  { name: 'f', type: 'float' },
  { name: 'ok', type: 'boolean' },
  { name: 'amount', type: 'decimal(18,2)' },
  { name: 'at', type: 'datetime' },
  { name: 'day', type: 'date' },
  { name: 'ts', type: 'timestamp' },
  { name: 'bin', type: 'binary' },
  { name: 'ym', type: 'interval_year_month' },
  { name: 'tags', type: 'array<bigint>' },
  { name: 'attrs', type: 'map<string,int>' },
  { name: 'st', type: 'struct<a:int,b:string>' },
];

function recordRow(i: number, rnd: () => number): Row {
  const n = (p: number): boolean => rnd() < p;
  return [
    n(0.1) ? null : BigInt(Math.floor((rnd() - 0.5) * 2 ** 53)) * 1024n,
    n(0.1) ? null : Math.floor((rnd() - 0.5) * 2 ** 31),
    n(0.1) ? null : `name-${i}-${'é✓'.repeat(Math.floor(rnd() * 5))}`,
    n(0.1) ? null : (rnd() - 0.5) * 1e12,
    n(0.1) ? null : Math.fround(rnd() * 100),
    n(0.1) ? null : rnd() < 0.5,
    n(0.1) ? null : `${Math.floor(rnd() * 1e6)}.${String(Math.floor(rnd() * 100)).padStart(2, '0')}`,
    n(0.1) ? null : new Date(Math.floor(rnd() * 4e12)),
    n(0.1) ? null : `20${String(10 + Math.floor(rnd() * 80))}-0${1 + Math.floor(rnd() * 9)}-1${Math.floor(rnd() * 9)}`,
    n(0.1) ? null : new Timestamp(BigInt(Math.floor((rnd() - 0.3) * 4e9)), Math.floor(rnd() * 1e9)),
    n(0.1) ? null : Uint8Array.from({ length: Math.floor(rnd() * 6) }, () => Math.floor(rnd() * 256)),
    n(0.1) ? null : new IntervalYearMonth(Math.floor((rnd() - 0.5) * 2000)),
    n(0.1) ? null : Array.from({ length: Math.floor(rnd() * 4) }, () => (n(0.2) ? null : BigInt(Math.floor(rnd() * 1e9)))),
    n(0.1) ? null : new Map(Array.from({ length: Math.floor(rnd() * 3) }, (_, k) => [`k${k}`, n(0.2) ? null : Math.floor(rnd() * 1000)] as const)),
    n(0.1) ? null : { a: n(0.2) ? null : Math.floor(rnd() * 1000), b: n(0.2) ? null : `s${i}` },
  ];
}

/** A canonical text of decoded values (bigint, Date, Map, bytes, value classes), for exact comparison. */
function canon(v: unknown): string {
  return JSON.stringify(v, function (this: unknown, _k: string, x: unknown) {
    if (typeof x === 'bigint') return `${x}n`;
    if (x instanceof Map) return { map: [...x.entries()] };
    if (x instanceof Uint8Array) return { bytes: Buffer.from(x).toString('hex') };
    if (typeof x === 'number' && !Number.isFinite(x)) return `num:${x}`;
    if (x instanceof Timestamp || x instanceof IntervalYearMonth) return { [x.constructor.name]: x.toString() };
    return x;
  }) ?? 'undefined';
}
// Dates stringify through toJSON before the replacer sees them; invalid ones become null, so mark them.
function canonRows(rows: readonly Row[]): string {
  return canon(rows.map((r) => r.map((v) => (v instanceof Date ? `date:${v.getTime()}` : v))));
}

type Mutation = (b: Uint8Array, rnd: () => number) => Uint8Array;
const int = (rnd: () => number, n: number): number => Math.floor(rnd() * n);
/**
 * CRC-valid payload mutations (second Arrow pass). Before the reader validated messages itself, input
 * ~200 of this seed drove apache-arrow into an OOM; FUZZ_CRC_VALID_RUNS raises the count for soak runs.
 */
const CRC_VALID_RUNS = Number(process.env["FUZZ_CRC_VALID_RUNS"] ?? 2000);
const MUTATIONS: [string, Mutation][] = [
  ['flip', (b, rnd) => {
    const c = Uint8Array.from(b);
    const k = 1 + int(rnd, 3);
    for (let j = 0; j < k; j++) c[int(rnd, c.length)]! ^= 1 + int(rnd, 255);
    return c;
  }],
  ['truncate', (b, rnd) => b.slice(0, int(rnd, b.length))],
  ['insert', (b, rnd) => {
    const at = int(rnd, b.length + 1);
    const extra = Uint8Array.from({ length: 1 + int(rnd, 4) }, () => int(rnd, 256));
    return Buffer.concat([b.subarray(0, at), extra, b.subarray(at)]);
  }],
  ['delete', (b, rnd) => {
    const at = int(rnd, b.length);
    return Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + int(rnd, 8)))]);
  }],
  ['duplicate', (b, rnd) => {
    const at = int(rnd, b.length);
    const len = 1 + int(rnd, 16);
    return Buffer.concat([b.subarray(0, at + len), b.subarray(at, at + len), b.subarray(at + len)]);
  }],
];

/** Splits a buffer in up to 3 random pieces (exercises the streaming decoders' resumption). */
function pieces(b: Uint8Array, rnd: () => number): Uint8Array[] {
  const cuts = [int(rnd, b.length + 1), int(rnd, b.length + 1)].sort((x, y) => x - y);
  return [b.subarray(0, cuts[0]), b.subarray(cuts[0], cuts[1]), b.subarray(cuts[1])];
}

interface Tally {
  runs: number;
  threw: number;
  sameRows: number;
  untyped: string[];
  wrong: string[];
  wrongCount: number;
  codes: Map<string, number>;
  slowestMs: number;
}

function tally(): Tally {
  return { runs: 0, threw: 0, sameRows: 0, untyped: [], wrong: [], wrongCount: 0, codes: new Map(), slowestMs: 0 };
}

function judge(t: Tally, label: string, outcome: { rows: string } | { error: unknown }, expected: string, ms: number): void {
  t.runs++;
  t.slowestMs = Math.max(t.slowestMs, ms);
  if ('error' in outcome) {
    t.threw++;
    const e = outcome.error;
    // Fallbacks (apache-arrow or row conversion threw despite the checks) are labelled to spot gaps.
    const fallback = e instanceof OdpsError && /cannot convert the batch to rows|corrupt Arrow payload:/.test(e.message) ? ' (fallback)' : '';
    const code = e instanceof OdpsError ? `${e.name}/${e.code}${fallback}` : 'untyped';
    t.codes.set(code, (t.codes.get(code) ?? 0) + 1);
    if (!(e instanceof OdpsError) && t.untyped.length < 20) t.untyped.push(`${label}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  } else if (outcome.rows === expected) {
    t.sameRows++;
  } else {
    t.wrongCount++;
    if (t.wrong.length < 20) t.wrong.push(label);
  }
}

describe('reliability: decoder fuzz (seeded)', () => {
  it('record decoder: 12k mutated streams decode to the original rows or throw a typed error', () => {
    const rnd = prng(0x0d95);
    const rows = Array.from({ length: 40 }, (_, i) => recordRow(i, rnd));
    const valid = encodeRecordStream(RECORD_COLUMNS, rows);
    const decode = (chunks: Uint8Array[]): Row[] => {
      const d = new RecordStreamDecoder(RECORD_COLUMNS);
      const out: Row[] = [];
      for (const c of chunks) out.push(...d.push(c));
      out.push(...d.end());
      return out;
    };
    const expected = canonRows(decode([valid]));
    expect(expected).toBe(canonRows(rows));
    const t = tally();
    for (let i = 0; i < 12_000; i++) {
      const [name, mutate] = MUTATIONS[i % MUTATIONS.length]!;
      const input = mutate(valid, rnd);
      const started = performance.now();
      let outcome: { rows: string } | { error: unknown };
      try {
        outcome = { rows: canonRows(decode(pieces(input, rnd))) };
      } catch (error) {
        outcome = { error };
      }
      judge(t, `${name}#${i}`, outcome, expected, performance.now() - started);
    }
    console.info(`record fuzz: ${t.runs} runs, ${t.threw} typed/untyped errors, ${t.sameRows} decoded to the original, slowest ${t.slowestMs.toFixed(1)} ms`);
    expect(t.untyped).toEqual([]);
    expect(t.wrong).toEqual([]);
    expect(t.threw).toBeGreaterThan(t.runs * 0.9);
    expect(t.slowestMs).toBeLessThan(1000);
  });

  it('Arrow decoder: 8k mutated framed bodies decode to the original rows or throw a typed error', async () => {
    const columns: Column[] = [
      { name: 'id', type: 'bigint' },
      { name: 'name', type: 'string' },
      { name: 'd', type: 'double' },
      { name: 'ok', type: 'boolean' },
      { name: 'at', type: 'datetime' },
      { name: 'ts', type: 'timestamp' },
      { name: 'amount', type: 'decimal(18,2)' },
      { name: 'tags', type: 'array<bigint>' },
    ];
    const pick = [0, 2, 3, 5, 7, 9, 6, 12];
    const rnd = prng(0xa770);
    const rows = Array.from({ length: 60 }, (_, i) => recordRow(i, rnd)).map((r) => pick.map((k) => r[k]));
    const schema = arrowSchemaFor(columns, { timestampLayout: 'ns' });
    const batches = [rowsToRecordBatch(schema, columns.map((c) => c.type), rows.slice(0, 30)), rowsToRecordBatch(schema, columns.map((c) => c.type), rows.slice(30))];
    const parts: Uint8Array[] = [];
    // A small chunk size so bodies have several CRC'd chunks plus the final global CRC.
    for await (const p of encodeArrowBatches(batches, { chunkSize: 512 })) parts.push(p);
    const valid = Buffer.concat(parts);
    const decode = async (chunks: Uint8Array[]): Promise<Row[]> => {
      const out: Row[] = [];
      for await (const b of decodeArrowBody((async function* () { yield* chunks; })(), columns, { timestampLayout: 'ns' })) {
        out.push(...arrowBatchToRows(b, columns));
      }
      return out;
    };
    const baseline = await decode([valid]);
    expect(baseline.length).toBe(60);
    const expected = canonRows(baseline);
    const t = tally();
    for (let i = 0; i < 8_000; i++) {
      const [name, mutate] = MUTATIONS[i % MUTATIONS.length]!;
      const input = mutate(valid, rnd);
      const started = performance.now();
      let outcome: { rows: string } | { error: unknown };
      try {
        outcome = { rows: canonRows(await decode(pieces(input, rnd))) };
      } catch (error) {
        outcome = { error };
      }
      judge(t, `${name}#${i}`, outcome, expected, performance.now() - started);
    }
    // Second pass: mutate the payload under valid CRCs (a server bug rather than line noise). Such input
    // may decode to other rows; it must still never crash, hang or escape as an untyped error.
    const payload = Buffer.concat(await (async () => { const o: Uint8Array[] = []; for await (const p of deframeArrowBody((async function* () { yield valid; })())) o.push(p); return o; })());
    const raw = tally();
    for (let i = 0; i < CRC_VALID_RUNS; i++) {
      const [name, mutate] = MUTATIONS[i % MUTATIONS.length]!;
      const input = frameArrowPayload(mutate(payload, rnd), 512);
      const started = performance.now();
      let outcome: { rows: string } | { error: unknown };
      try {
        outcome = { rows: canonRows(await decode([input])) };
      } catch (error) {
        outcome = { error };
      }
      judge(raw, `crc-valid ${name}#${i}`, outcome, expected, performance.now() - started);
    }
    const codes = [...raw.codes.entries()].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`).join(', ');
    console.info(`arrow payload fuzz (valid CRCs): ${raw.runs} runs, ${raw.threw} errors (${codes}), ${raw.sameRows} same rows, ${raw.wrongCount} other rows, slowest ${raw.slowestMs.toFixed(1)} ms`);
    // Other rows are allowed here (a flipped value byte is still a valid batch); untyped errors are not,
    // whether from the reader or from arrowBatchToRows.
    expect(raw.untyped).toEqual([]);
    expect(raw.threw).toBeGreaterThan(raw.runs / 2);
    expect(raw.slowestMs).toBeLessThan(1000);
    console.info(`arrow fuzz: ${t.runs} runs, ${t.threw} errors, ${t.sameRows} decoded to the original, slowest ${t.slowestMs.toFixed(1)} ms`);
    expect(t.untyped).toEqual([]);
    expect(t.wrong).toEqual([]);
    expect(t.slowestMs).toBeLessThan(1000);
  });
});
