// Human-readable boxed tables for TTY output; NULL shows as "NULL". Streaming: column widths come from the
// header and the first rows (SAMPLE_ROWS), then every row is printed as it arrives, cut to those widths,
// so any number of rows takes linear time and bounded memory.
import { displayWidth, pad, singleLine, truncate } from './cell-width.js';
import type { OutputColumn, RowWriter, RowWriterOptions } from './row-writer.js';
import { toCellText } from './value-text.js';

/** Cells longer than this are cut with an ellipsis so one wide value cannot wreck the layout. */
const MAX_CELL = 120;
/** Rows read before the widths are fixed; later, wider cells are cut with an ellipsis. */
export const SAMPLE_ROWS = 1000;
/** A column never shrinks below this to fit the terminal (room for a few characters and the ellipsis). */
const MIN_COLUMN = 4;
/** Lines handed to the sink per write. */
const BATCH_LINES = 256;

export interface TableLayout {
  /** Display width of each column's content (without the padding and borders). */
  widths: number[];
  /** Right-aligned columns (numbers). */
  right: boolean[];
}

export function cell(text: string | null): string {
  if (text === null) return 'NULL';
  return truncate(singleLine(text), MAX_CELL);
}

const NUMERIC_TYPE = /^(tinyint|smallint|int|bigint|float|double|decimal)\b/i;

/** Numbers read best right-aligned (digits line up); the column type says which columns hold numbers. */
export function isNumericType(type: string): boolean {
  return NUMERIC_TYPE.test(type.trim());
}

/**
 * Widths from the header and sample rows; when the table is wider than `maxWidth` (the terminal), the
 * widest columns give way first, down to MIN_COLUMN.
 */
export function layout(head: readonly string[], rows: readonly (readonly string[])[], right: boolean[], maxWidth?: number): TableLayout {
  const widths = head.map((h) => displayWidth(h));
  for (const r of rows) for (let i = 0; i < widths.length; i++) widths[i] = Math.max(widths[i]!, displayWidth(r[i] ?? ''));
  if (maxWidth !== undefined && maxWidth > 0) {
    // Borders and padding: "│ " before each column, " │" closing; 3 per column plus 1.
    let excess = widths.reduce((a, b) => a + b, 0) + 3 * widths.length + 1 - maxWidth;
    while (excess > 0) {
      let widest = -1;
      for (let i = 0; i < widths.length; i++) if (widths[i]! > MIN_COLUMN && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
      if (widest < 0) break;
      // Shrink the widest down to the next widest (or just enough); ties give way one cell at a time.
      const next = Math.max(MIN_COLUMN, ...widths.filter((_, i) => i !== widest));
      const cut = Math.max(1, Math.min(excess, widths[widest]! - next));
      widths[widest] = widths[widest]! - cut;
      excess -= cut;
    }
  }
  return { widths, right };
}

function border(l: TableLayout, left: string, mid: string, rightEnd: string): string {
  return `${left}${l.widths.map((w) => '─'.repeat(w + 2)).join(mid)}${rightEnd}\n`;
}

function line(l: TableLayout, cells: readonly string[], alignRight: boolean): string {
  return `│ ${l.widths.map((w, i) => pad(truncate(cells[i] ?? '', w), w, alignRight && l.right[i]!)).join(' │ ')} │\n`;
}

/** A whole table at once (metadata listings): cells already text, numbers right-aligned when `right` says so. */
export function renderTable(head: string[], rows: (string | null)[][], opts: { right?: boolean[]; maxWidth?: number } = {}): string {
  const cells = rows.map((r) => r.map(cell));
  const l = layout(head, cells, opts.right ?? head.map(() => false), opts.maxWidth);
  return [border(l, '┌', '┬', '┐'), line(l, head, true), border(l, '├', '┼', '┤'), ...cells.map((r) => line(l, r, true)), border(l, '└', '┴', '┘')].join('');
}

export class TableWriter implements RowWriter {
  private head: string[] = [];
  private right: boolean[] = [];
  private sample: string[][] = [];
  private layout?: TableLayout;
  private pending: string[] = [];
  private count = 0;
  constructor(private readonly opts: RowWriterOptions) {}

  async begin(columns: OutputColumn[]): Promise<void> {
    this.head = columns.map((c) => c.name);
    this.right = columns.map((c) => isNumericType(c.type));
  }

  async write(row: readonly unknown[]): Promise<void> {
    const cells = row.map((v) => cell(toCellText(v, this.opts)));
    this.count++;
    if (this.layout) {
      this.pending.push(line(this.layout, cells, true));
      if (this.pending.length >= BATCH_LINES) await this.flush();
      return;
    }
    this.sample.push(cells);
    if (this.sample.length >= SAMPLE_ROWS) await this.fix();
  }

  /** Fix the widths from the sample, print the header and the sample, then stream. */
  private async fix(): Promise<void> {
    const l = layout(this.head, this.sample, this.right, this.opts.maxWidth);
    this.layout = l;
    this.pending.push(border(l, '┌', '┬', '┐'), line(l, this.head, true), border(l, '├', '┼', '┤'));
    for (const r of this.sample) this.pending.push(line(l, r, true));
    this.sample = [];
    await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    await this.opts.sink.write(text);
  }

  async end(): Promise<void> {
    if (!this.layout) await this.fix();
    this.pending.push(border(this.layout!, '└', '┴', '┘'), `${this.count} row${this.count === 1 ? '' : 's'}\n`);
    await this.flush();
  }
}
