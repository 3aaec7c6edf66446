// Key/value and list output shared by the metadata commands: boxed on a terminal, TSV otherwise.
import type { CommandContext } from '../context.js';
import { toCellText } from './value-text.js';
import { renderTable } from './table.js';

/** Rows of cells as a boxed table on a TTY or tab-separated lines (no header) off it. */
export function listText(ctx: CommandContext, head: string[], rows: unknown[][]): string {
  const cells = rows.map((r) => r.map((v) => toCellText(v)));
  if (ctx.stdoutIsTTY) {
    // A column whose values are all numbers (counts, sizes) is right-aligned.
    const right = head.map((_, i) => rows.some((r) => r[i] !== null && r[i] !== undefined) && rows.every((r) => r[i] === null || r[i] === undefined || typeof r[i] === 'number' || typeof r[i] === 'bigint'));
    return renderTable(head, cells, { right, ...(ctx.terminalWidth ? { maxWidth: ctx.terminalWidth } : {}) });
  }
  return cells.map((r) => `${r.map((c) => (c ?? '').replace(/[\t\r\n]/g, ' ')).join('\t')}\n`).join('');
}

export function writeJson(ctx: CommandContext, value: unknown): void {
  ctx.io.stdout.write(`${JSON.stringify(value, jsonReplacer, 2)}\n`);
}

function jsonReplacer(_key: string, v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  return v;
}
