// `odps completion bash|zsh|fish`: a shell completion script generated from the program's own commands and
// options (so it never goes stale). Pure text from commander's data: no client code is loaded.
import { Argument, type Command } from 'commander';
import { UsageError } from '../errors.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

interface Spec {
  name: string;
  description: string;
  /** Long (and short) flags of the command, e.g. `--format`, `-o`. */
  flags: { flag: string; description: string }[];
}

function flagsOf(cmd: Command): Spec['flags'] {
  return cmd.options.flatMap((o) => [o.long, o.short].filter((f): f is string => !!f).map((flag) => ({ flag, description: o.description })));
}

function specs(program: Command): { commands: Spec[]; global: Spec['flags']; inherited: Spec['flags'] } {
  const commands = program.commands.filter((c) => c.name() !== 'help').map((c) => ({ name: c.name(), description: c.description(), flags: flagsOf(c) }));
  const global = [...flagsOf(program), { flag: '--help', description: 'show help' }];
  // After a command, the program's connection flags still apply; --version does not.
  const version = program.options.find((o) => o.long === '--version');
  return { commands, global, inherited: global.filter((f) => f.flag !== version?.long && f.flag !== version?.short) };
}

/** Single-quoted for a POSIX shell (bash, zsh). */
const sq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
/** Single-quoted for fish (backslash and quote are escaped inside). */
const fq = (s: string): string => `'${s.replace(/[\\']/g, (c) => `\\${c}`)}'`;

function bash(program: Command): string {
  const { commands, global, inherited } = specs(program);
  const cases = commands.map((c) => `    ${c.name}) opts=${sq([...c.flags, ...inherited].map((f) => f.flag).join(' '))} ;;`).join('\n');
  return `# bash completion for odps: eval "$(odps completion bash)" (e.g. in ~/.bashrc)
_odps_complete() {
  local cur=\${COMP_WORDS[COMP_CWORD]} opts
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W ${sq([...commands.map((c) => c.name), ...global.map((f) => f.flag)].join(' '))} -- "$cur"))
    return
  fi
  case "\${COMP_WORDS[1]}" in
${cases}
    *) opts=${sq(inherited.map((f) => f.flag).join(' '))} ;;
  esac
  # Options when the word starts with "-"; otherwise the shell's default (file names).
  if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "$opts" -- "$cur")); fi
}
complete -o default -F _odps_complete odps
`;
}

function zsh(program: Command): string {
  const { commands, inherited } = specs(program);
  const describe = commands.map((c) => `    ${sq(`${c.name}:${c.description}`)}`).join('\n');
  const cases = commands.map((c) => `    ${c.name}) opts=(${[...c.flags, ...inherited].map((f) => f.flag).join(' ')}) ;;`).join('\n');
  return `#compdef odps
# zsh completion for odps: eval "$(odps completion zsh)" (e.g. in ~/.zshrc, after compinit)
_odps() {
  local -a cmds opts
  cmds=(
${describe}
  )
  if (( CURRENT == 2 )); then
    _describe 'odps command' cmds
    return
  fi
  case $words[2] in
${cases}
    *) opts=(${inherited.map((f) => f.flag).join(' ')}) ;;
  esac
  if [[ $PREFIX == -* ]]; then compadd -- $opts; else _files; fi
}
compdef _odps odps
`;
}

function fish(program: Command): string {
  const { commands, global } = specs(program);
  const lines = ['# fish completion for odps: odps completion fish > ~/.config/fish/completions/odps.fish', 'complete -c odps -f -n __fish_use_subcommand'];
  const flag = (f: Spec['flags'][number]): string => (f.flag.startsWith('--') ? `-l ${f.flag.slice(2)}` : `-s ${f.flag.slice(1)}`);
  for (const c of commands) lines.push(`complete -c odps -f -n __fish_use_subcommand -a ${c.name} -d ${fq(c.description)}`);
  for (const f of global) lines.push(`complete -c odps ${flag(f)} -d ${fq(f.description)}`);
  for (const c of commands) for (const f of c.flags) lines.push(`complete -c odps -n ${fq(`__fish_seen_subcommand_from ${c.name}`)} ${flag(f)} -d ${fq(f.description)}`);
  return `${lines.join('\n')}\n`;
}

export function completionScript(program: Command, shell: string): string {
  switch (shell) {
    case 'bash': return bash(program);
    case 'zsh': return zsh(program);
    case 'fish': return fish(program);
    default: throw new UsageError(`no completion for shell ${JSON.stringify(shell)}: choose ${SHELLS.join(', ')}`);
  }
}

export function registerCompletion(program: Command, io: { stdout: { write(s: string): unknown } }): void {
  program
    .command('completion')
    .description('print a shell completion script: eval "$(odps completion bash)" (bash, zsh) or save it for fish')
    .addArgument(new Argument('<shell>', 'bash, zsh or fish'))
    .action((shell: string) => {
      io.stdout.write(completionScript(program, shell));
    });
}
