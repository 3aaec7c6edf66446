// The bar shown while downloading or uploading: rows, bytes, rate and ETA.
import cliProgress from 'cli-progress';
import type { Writable } from 'node:stream';
import { formatBytes, formatCount } from './format.js';

export interface TransferCounters {
  rows: number;
  bytes: number;
}

/**
 * `unit` says what `total` counts: 'rows' (downloads with a known row count) or 'bytes' (uploads,
 * where the input file size is known but the row count is not).
 */
export class TransferProgressBar {
  private readonly bar: cliProgress.SingleBar;
  private readonly started = Date.now();

  constructor(stream: Writable, label: string, private readonly unit: 'rows' | 'bytes', total: number | undefined) {
    this.bar = new cliProgress.SingleBar(
      {
        stream,
        format: `${label} {bar} {percentage}% | {rowsText} rows | {bytesText} | {rateText} | ETA {eta_formatted}`,
        hideCursor: true,
        barsize: 25,
        fps: 5,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(total && total > 0 ? total : 0, 0, this.payload({ rows: 0, bytes: 0 }));
  }

  private payload(c: TransferCounters): Record<string, string> {
    const secs = Math.max(0.001, (Date.now() - this.started) / 1000);
    const rate = this.unit === 'bytes' ? `${formatBytes(Math.round(c.bytes / secs))}/s` : `${formatCount(Math.round(c.rows / secs))} rows/s`;
    return { rowsText: formatCount(c.rows), bytesText: formatBytes(c.bytes), rateText: rate };
  }

  update(c: TransferCounters): void {
    const value = this.unit === 'rows' ? c.rows : c.bytes;
    if (this.bar.getTotal() > 0 && value > this.bar.getTotal()) this.bar.setTotal(value);
    this.bar.update(value, this.payload(c));
  }

  stop(c: TransferCounters): void {
    this.update(c);
    this.bar.stop();
  }
}
