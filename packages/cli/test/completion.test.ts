// `odps completion bash|zsh|fish`: scripts generated from the program, valid bash, completing commands and options.
import { execFileSync } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../src/context.js';
import { main } from '../src/main.js';

async function odps(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (b: Buffer) => out.push(b));
  stderr.on('data', (b: Buffer) => err.push(b));
  const io = { stdout, stderr, stdin: new PassThrough(), env: {}, cwd: '/', home: undefined } as CliIo;
  const code = await main(argv, io);
  return { code, out: Buffer.concat(out).toString('utf8'), err: Buffer.concat(err).toString('utf8') };
}

const COMMANDS = ['whoami', 'tables', 'desc', 'sql', 'download', 'upload', 'instances', 'instance', 'emulator', 'completion'];

/** Runs the bash script's completion function for a command line and returns its candidates. */
function bashComplete(script: string, words: string[]): string[] {
  const program = `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _odps_complete; printf '%s\\n' "\${COMPREPLY[@]}"`;
  return execFileSync('bash', ['--norc', '--noprofile', '-c', program], { encoding: 'utf8' }).split('\n').filter((l) => l !== '');
}

describe('odps completion', () => {
  it.each(['bash', 'zsh', 'fish'])('%s names every command and the sql options', async (shell) => {
    const r = await odps(['completion', shell]);
    expect(r.code).toBe(0);
    for (const c of COMMANDS) expect(r.out).toContain(c);
    expect(r.out).toMatch(/vertical/);
    expect(r.out).toMatch(/project/);
  });

  it('bash: the script parses and completes commands, then the options of the chosen command', async () => {
    const { out } = await odps(['completion', 'bash']);
    execFileSync('bash', ['-n', '-c', out]);
    expect(bashComplete(out, ['odps', 'ins'])).toEqual(['instances', 'instance']);
    expect(bashComplete(out, ['odps', 'sql', '--ve'])).toEqual(['--vertical']);
    expect(bashComplete(out, ['odps', 'download', '--part'])).toEqual(['--partition']);
    // Global flags after a command too.
    expect(bashComplete(out, ['odps', 'tables', '--proj'])).toEqual(['--project']);
    // A non-option word is left to the shell's file completion.
    expect(bashComplete(out, ['odps', 'upload', 'x'])).toEqual([]);
  });

  it('quotes descriptions with quotes in them for fish and zsh', async () => {
    const fish = (await odps(['completion', 'fish'])).out;
    for (const line of fish.split('\n').filter((l) => l.startsWith('complete'))) {
      // Every quote opened is closed: an even number of unescaped single quotes.
      expect(line.replace(/\\./g, '').split("'").length % 2, line).toBe(1);
    }
    const zsh = (await odps(['completion', 'zsh'])).out;
    execFileSync('bash', ['-n', '-c', zsh.replace(/^#compdef.*$/m, '')]);
  });

  it('refuses an unknown shell with exit 2', async () => {
    const r = await odps(['completion', 'powershell']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('choose bash, zsh, fish');
  });
});
