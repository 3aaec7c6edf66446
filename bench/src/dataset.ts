// The benchmark table (10 mixed-type columns, several nullable) and its deterministic row generator.
import { Timestamp, type Column } from '@odps-ts/odps-client';

export const TABLE = 'bench_mixed';

export const COLUMNS: Column[] = [
  { name: 'id', type: 'bigint' },
  { name: 'score', type: 'double' },
  { name: 'name', type: 'string' },
  { name: 'amount', type: 'decimal(18,4)' },
  { name: 'created', type: 'datetime' },
  { name: 'ts', type: 'timestamp' },
  { name: 'flag', type: 'boolean' },
  { name: 'tags', type: 'array<string>' },
  { name: 'attrs', type: 'map<string,bigint>' },
  { name: 'note', type: 'string' },
];

export const CREATE_TABLE_SQL = `CREATE TABLE ${TABLE} (${COLUMNS.map((c) => `${c.name} ${c.type}`).join(', ')})`;

const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa', 'lambda', 'mu', 'naïve', '数据', 'übung'];
const BASE_MS = Date.UTC(2024, 0, 1);

/** xorshift32: cheap, deterministic, Number-only. */
class Rng {
  constructor(private s: number) {}
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s;
  }
  /** [0, n) */
  int(n: number): number {
    return this.next() % n;
  }
  chance(p: number): boolean {
    return this.next() / 4294967296 < p;
  }
}

function words(rng: Rng, n: number): string {
  let s = WORDS[rng.int(WORDS.length)]!;
  for (let i = 1; i < n; i++) s += ` ${WORDS[rng.int(WORDS.length)]!}`;
  return s;
}

/** Row `i` of the table, in the value model (design §4); the same i always gives the same row. */
export function makeRow(i: number): unknown[] {
  const rng = new Rng((i * 2654435761 + 1) >>> 0 || 1);
  rng.next();
  const ms = BASE_MS + i * 1000 + rng.int(1000);
  const tags: (string | null)[] = [];
  for (let k = rng.int(4); k > 0; k--) tags.push(rng.chance(0.1) ? null : WORDS[rng.int(WORDS.length)]!);
  const attrs = new Map<string, bigint>();
  for (let k = rng.int(4); k > 0; k--) attrs.set(`k${rng.int(50)}`, BigInt(rng.int(1_000_000) - 500_000));
  return [
    BigInt(i) * 7919n + 1_000_000_000_000n,
    rng.chance(0.1) ? null : (rng.next() - 2147483648) / 1024,
    rng.chance(0.05) ? null : words(rng, 1 + rng.int(4)),
    rng.chance(0.1) ? null : `${rng.int(10_000_000) - 5_000_000}.${String(rng.int(10_000)).padStart(4, '0')}`,
    new Date(ms),
    rng.chance(0.1) ? null : new Timestamp(BigInt(Math.floor(ms / 1000)), rng.int(1_000_000_000)),
    rng.chance(0.05) ? null : rng.chance(0.5),
    rng.chance(0.1) ? null : tags,
    rng.chance(0.1) ? null : attrs,
    rng.chance(0.5) ? null : `note ${i} ${words(rng, 2)}`,
  ];
}

export function makeRows(start: number, count: number): unknown[][] {
  const out = new Array<unknown[]>(count);
  for (let k = 0; k < count; k++) out[k] = makeRow(start + k);
  return out;
}
