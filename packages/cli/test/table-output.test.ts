// The boxed table and vertical formats: streaming (300k rows, linear, bounded), terminal fit, alignment.
import { describe, expect, it } from 'vitest';
import { displayWidth, truncate } from '../src/output/cell-width.js';
import { rowWriter } from '../src/output/formats.js';
import type { OutputColumn, RowFormat } from '../src/output/row-writer.js';
import type { Sink } from '../src/output/sink.js';
import { renderTable, SAMPLE_ROWS } from '../src/output/table.js';

/** Keeps only line counts and a few lines: 300k rows of text are not held by the test either. */
function countingSink(keep = 2000): Sink & { lines: string[]; writes: number; lineCount: number; tail: string } {
  const s = {
    bytes: 0, writes: 0, lineCount: 0, lines: [] as string[], tail: '',
    async write(t: string | Uint8Array) {
      const text = typeof t === 'string' ? t : Buffer.from(t).toString('utf8');
      s.writes++;
      const parts = text.split('\n');
      parts.pop();
      s.lineCount += parts.length;
      for (const p of parts) if (s.lines.length < keep) s.lines.push(p);
      s.tail = (s.tail + text).slice(-2000);
    },
    async close() {},
    async abort() {},
  };
  return s;
}

async function render(format: RowFormat, columns: OutputColumn[], rows: unknown[][], maxWidth?: number): Promise<string[]> {
  const sink = countingSink(100_000);
  const w = rowWriter(format, { sink, ...(maxWidth ? { maxWidth } : {}) });
  await w.begin(columns);
  for (const r of rows) await w.write(r);
  await w.end();
  return sink.lines;
}

describe('table format', () => {
  it('streams 300k rows: every row printed, output starts before the end, bounded writes', async () => {
    const N = 300_000;
    const sink = countingSink();
    const w = rowWriter('table', { sink });
    await w.begin([{ name: 'id', type: 'bigint' }, { name: 'name', type: 'string' }, { name: 'amount', type: 'double' }]);
    let writesBeforeEnd = 0;
    for (let i = 0; i < N; i++) {
      await w.write([BigInt(i), `name-${i % 977}`, i / 4]);
      if (i === SAMPLE_ROWS + 10) writesBeforeEnd = sink.writes;
    }
    await w.end();
    // The header was out long before the last row: the writer does not hold the result.
    expect(writesBeforeEnd).toBeGreaterThan(0);
    // Top border, header, separator, N rows, bottom border, row count.
    expect(sink.lineCount).toBe(N + 5);
    expect(sink.tail).toMatch(/└[─┴]+┘\n300000 rows\n$/);
    expect(sink.lines.slice(3).every((l) => l.startsWith('│ '))).toBe(true);
    expect(new Set(sink.lines.map((l) => displayWidth(l))).size).toBe(1);
  }, 120_000);

  it('cuts a cell wider than the sampled widths with an ellipsis instead of breaking the layout', async () => {
    const rows: unknown[][] = Array.from({ length: SAMPLE_ROWS }, (_, i) => [`v${i % 10}`]);
    rows.push(['a much wider value than anything in the sample']);
    const lines = await render('table', [{ name: 'col', type: 'string' }], rows);
    const widths = new Set(lines.slice(0, -1).map(displayWidth));
    expect(widths.size).toBe(1);
    expect(lines.at(-3)).toBe('│ a … │');
  });

  it('fits the terminal width: no line wider than maxWidth, wide cells end in an ellipsis', async () => {
    const wide = 'x'.repeat(100);
    for (const maxWidth of [30, 60, 80]) {
      const lines = await render('table', [{ name: 'a', type: 'string' }, { name: 'b', type: 'string' }, { name: 'n', type: 'bigint' }], [[wide, 'short', 1n], ['é中文', wide, 22n]], maxWidth);
      for (const l of lines.slice(0, -1)) expect(displayWidth(l), `${maxWidth}: ${l}`).toBeLessThanOrEqual(maxWidth);
      expect(lines.join('\n')).toContain('…');
    }
  });

  it('keeps the table as is when it fits or no width is known', async () => {
    const lines = await render('table', [{ name: 'a', type: 'string' }], [['hello world']]);
    expect(lines).toEqual(['┌─────────────┐', '│ a           │', '├─────────────┤', '│ hello world │', '└─────────────┘', '1 row']);
  });

  it('right-aligns numeric columns (header too) and left-aligns text', async () => {
    const lines = await render('table', [{ name: 'n', type: 'bigint' }, { name: 'd', type: 'decimal(10,2)' }, { name: 's', type: 'string' }], [[5n, '1.50', 'a'], [12345n, '100.00', 'bcd'], [null, null, null]]);
    expect(lines[1]).toBe('│     n │      d │ s    │');
    expect(lines[3]).toBe('│     5 │   1.50 │ a    │');
    expect(lines[4]).toBe('│ 12345 │ 100.00 │ bcd  │');
    expect(lines[5]).toBe('│  NULL │   NULL │ NULL │');
  });

  it('measures East Asian wide characters as two cells and keeps lines aligned', async () => {
    const lines = await render('table', [{ name: 'name', type: 'string' }], [['中文字'], ['abc']]);
    expect(new Set(lines.slice(0, -1).map(displayWidth)).size).toBe(1);
    expect(lines[3]).toBe('│ 中文字 │');
  });

  it('puts line breaks and tabs in a cell on one line', async () => {
    const lines = await render('table', [{ name: 's', type: 'string' }], [['a\nb\tc\r\n']]);
    expect(lines).toHaveLength(6);
    expect(lines[3]).toBe('│ a b c   │');
  });

  it('renderTable (metadata listings) fits a width too', () => {
    const out = renderTable(['k', 'v'], [['key', 'v'.repeat(200)]], { maxWidth: 40 });
    for (const l of out.trimEnd().split('\n')) expect(displayWidth(l)).toBeLessThanOrEqual(40);
  });

  it('truncate cuts by display width', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('中文中文', 5)).toBe('中文…');
    expect(truncate('abc', 3)).toBe('abc');
  });
});

describe('vertical format', () => {
  it('prints one "column | value" block per row, NULL as NULL, and the row count', async () => {
    const lines = await render('vertical', [{ name: 'id', type: 'bigint' }, { name: 'name', type: 'string' }], [[1n, 'ann'], [2n, null]]);
    expect(lines).toEqual([
      '-[ RECORD 1 ]---------------------------', 'id   | 1', 'name | ann',
      '-[ RECORD 2 ]---------------------------', 'id   | 2', 'name | NULL', '2 rows',
    ]);
  });

  it('cuts values to the terminal width', async () => {
    const lines = await render('vertical', [{ name: 'text', type: 'string' }], [['y'.repeat(300)]], 50);
    for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(50);
    expect(lines[1]).toMatch(/^text \| y+…$/);
  });

  it('streams 300k rows', async () => {
    const sink = countingSink(10);
    const w = rowWriter('vertical', { sink });
    await w.begin([{ name: 'id', type: 'bigint' }]);
    for (let i = 0; i < 300_000; i++) await w.write([BigInt(i)]);
    await w.end();
    expect(sink.lineCount).toBe(600_001);
    expect(sink.tail.endsWith('300000 rows\n')).toBe(true);
  }, 120_000);
});
