// -0.0 (DOUBLE or FLOAT, alone or inside ARRAY / MAP / STRUCT) prints as -0 in every format, in-process.
import { describe, expect, it } from 'vitest';
import { rowWriter } from '../src/output/formats.js';
import type { RowFormat } from '../src/output/row-writer.js';
import type { Sink } from '../src/output/sink.js';
import { toCellText, toJsonText } from '../src/output/value-text.js';

function memorySink(): Sink & { text(): string } {
  const parts: string[] = [];
  return {
    bytes: 0,
    async write(t) {
      parts.push(typeof t === 'string' ? t : Buffer.from(t).toString('utf8'));
    },
    async close() {},
    async abort() {},
    text: () => parts.join(''),
  };
}

async function render(format: RowFormat, row: unknown[]): Promise<string> {
  const sink = memorySink();
  const w = rowWriter(format, { sink });
  await w.begin([{ name: 'd', type: 'double' }, { name: 'f', type: 'float' }, { name: 'a', type: 'array<double>' }, { name: 'm', type: 'map<double,float>' }, { name: 's', type: 'struct<x:double>' }]);
  await w.write(row);
  await w.end();
  return sink.text();
}

const ROW = [-0, Math.fround(-0), [-0, 0, -1.5], new Map([[0.5, -0]]), { x: -0 }];

describe('negative zero', () => {
  it('cell text keeps the sign of -0 and leaves 0 alone, nested too', () => {
    expect(toCellText(-0)).toBe('-0');
    expect(toCellText(0)).toBe('0');
    expect(toCellText([-0, 0])).toBe('[-0,0]');
    expect(toCellText(new Float32Array([-0, 1]))).toBe('[-0,1]');
    expect(toCellText(new Float64Array([-0]))).toBe('[-0]');
    // A JS Map stores a -0 key as 0 (SameValueZero), so only map values can carry the sign.
    expect(toCellText(new Map([[1.5, [-0]]]))).toBe('{"1.5":[-0]}');
    expect(toCellText({ x: -0, y: { z: [-0] } })).toBe('{"x":-0,"y":{"z":[-0]}}');
  });

  it('JSON text writes -0 as the JSON number -0, which JSON.parse reads back as -0', () => {
    const text = toJsonText({ a: -0, b: [-0, 0, 2.5, 'x', null, true], c: { d: -0 } });
    expect(text).toBe('{"a":-0,"b":[-0,0,2.5,"x",null,true],"c":{"d":-0}}');
    const back = JSON.parse(text) as { a: number; b: number[]; c: { d: number } };
    expect(Object.is(back.a, -0)).toBe(true);
    expect(Object.is(back.b[0], -0)).toBe(true);
    expect(Object.is(back.b[1], 0)).toBe(true);
    expect(Object.is(back.c.d, -0)).toBe(true);
    // Everything else is exactly JSON.stringify's text.
    const plain = { s: 'q"\n\u2028', n: [1e21, 5e-324, -1.5], o: {}, e: [], u: null };
    expect(toJsonText(plain)).toBe(JSON.stringify(plain));
  });

  it('CSV prints -0 in scalar and nested cells', async () => {
    expect(await render('csv', ROW)).toBe('d,f,a,m,s\r\n-0,-0,"[-0,0,-1.5]","{""0.5"":-0}","{""x"":-0}"\r\n');
  });

  it('NDJSON and JSON print -0 numbers', async () => {
    const line = '{"d":-0,"f":-0,"a":[-0,0,-1.5],"m":{"0.5":-0},"s":{"x":-0}}';
    expect(await render('ndjson', ROW)).toBe(`${line}\n`);
    expect(await render('json', ROW)).toBe(`[\n${line}\n]\n`);
  });

  it('the table format prints -0', async () => {
    const out = await render('table', ROW);
    expect(out).toMatch(/│ -0 +│ -0 +│ \[-0,0,-1\.5\] +│ \{"0\.5":-0\} +│ \{"x":-0\} +│/);
  });
});
