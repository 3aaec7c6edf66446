// The bar shown while an SQL instance runs: overall stage percentage, stage summary, elapsed time.
import cliProgress from 'cli-progress';
import type { InstanceProgress, Stage } from '@odps-ts/odps-client';
import type { Writable } from 'node:stream';

/** Overall percentage: mean of the stages' finished percentages; a finished task counts as 100. */
export function overallPercent(p: InstanceProgress): number {
  const parts: number[] = [];
  for (const t of p.tasks) {
    if (t.status === 'Success') parts.push(100);
    else if (t.stages.length > 0) parts.push(t.stages.reduce((a, s) => a + stagePercent(s), 0) / t.stages.length);
    else parts.push(0);
  }
  if (parts.length === 0) return 0;
  return Math.max(0, Math.min(100, Math.floor(parts.reduce((a, b) => a + b, 0) / parts.length)));
}

function stagePercent(s: Stage): number {
  if (s.finishedPercentage !== undefined) return s.finishedPercentage;
  if (s.totalWorkers) return (100 * (s.terminatedWorkers ?? 0)) / s.totalWorkers;
  return 0;
}

export function stageSummary(p: InstanceProgress): string {
  const stages = p.tasks.flatMap((t) => t.stages);
  if (stages.length === 0) return p.tasks.map((t) => `${t.name}: ${t.status}`).join(', ') || p.status;
  return stages.slice(0, 4).map((s) => `${s.id} ${Math.floor(stagePercent(s))}%`).join(' ') + (stages.length > 4 ? ` +${stages.length - 4}` : '');
}

export class SqlProgressBar {
  private readonly bar: cliProgress.SingleBar;

  constructor(stream: Writable) {
    this.bar = new cliProgress.SingleBar(
      {
        stream,
        format: 'SQL {bar} {percentage}% | {stages} | elapsed {duration_formatted}',
        hideCursor: true,
        clearOnComplete: false,
        barsize: 30,
        fps: 5,
      },
      cliProgress.Presets.shades_classic,
    );
  }

  start(): void {
    this.bar.start(100, 0, { stages: 'submitted' });
  }

  update(p: InstanceProgress): void {
    this.bar.update(overallPercent(p), { stages: stageSummary(p) });
  }

  finish(state: string): void {
    this.bar.update(state === 'Success' ? 100 : this.bar.getProgress() * 100, { stages: state });
    this.bar.stop();
  }
}
