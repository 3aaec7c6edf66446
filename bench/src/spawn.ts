// Runs one case in a fresh Node process (its own peak RSS), with a hard time limit.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { RESULT_PREFIX, type CaseResult, type CaseSpec } from './spec.js';

const CHILD = fileURLToPath(new URL('./child.js', import.meta.url));

export interface SpawnOptions {
  timeoutMs: number;
  /** Write a V8 CPU profile of the child into this directory. */
  cpuProfDir?: string;
  cpuProfName?: string;
}

export function runChild(spec: CaseSpec, opts: SpawnOptions): Promise<CaseResult> {
  const args: string[] = [];
  if (opts.cpuProfDir) args.push('--cpu-prof', `--cpu-prof-dir=${opts.cpuProfDir}`, ...(opts.cpuProfName ? [`--cpu-prof-name=${opts.cpuProfName}`] : []));
  args.push(CHILD);
  const child = spawn(process.execPath, args, {
    env: { ...process.env, BENCH_SPEC: JSON.stringify(spec) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
  child.stderr.setEncoding('utf8').on('data', (d: string) => { err += d; });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${spec.kind} case timed out after ${opts.timeoutMs} ms`));
    }, opts.timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (code !== 0 || !line) {
        reject(new Error(`${spec.kind} case failed (exit ${code}): ${err.trim().split('\n').slice(-8).join('\n')}`));
        return;
      }
      resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as CaseResult);
    });
  });
}
