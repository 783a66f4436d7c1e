/**
 * `basishub completion bash|zsh|fish`: a completion script made from the command tree itself, so that
 * it knows every command and option this version has. Completes command names and options; values
 * (files, user references) fall back to the shell's own file completion.
 */
import type { CommandUnknownOpts as Command, Option } from './commander.js';
import { commandPath, walk } from './help.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

interface Node {
  path: string;
  subs: { name: string; description: string }[];
  options: { flags: string[]; description: string }[];
}

function optionFlags(o: Option): string[] {
  return [o.long, o.short].filter((f): f is string => typeof f === 'string');
}

function tree(program: Command): Node[] {
  const global = program.options.flatMap((o) => optionFlags(o));
  return [...walk(program)].map((cmd) => ({
    path: commandPath(cmd),
    subs: cmd.commands.map((c) => ({ name: c.name(), description: c.description() })),
    options: [
      ...cmd.options.map((o) => ({ flags: optionFlags(o), description: o.description })),
      ...(cmd === program ? [] : program.options.map((o) => ({ flags: optionFlags(o), description: o.description }))),
      { flags: ['--help'], description: 'show help' },
    ].filter((o, i, all) => all.findIndex((x) => x.flags[0] === o.flags[0]) === i),
    global,
  }));
}

function bash(nodes: Node[]): string {
  const subs = nodes.map((n) => `    "${n.path}") echo "${n.subs.map((s) => s.name).join(' ')}" ;;`).join('\n');
  const opts = nodes.map((n) => `    "${n.path}") echo "${n.options.flatMap((o) => o.flags).join(' ')}" ;;`).join('\n');
  return `# basishub completion for bash (made by \`basishub completion bash\`)
_basishub_subs() {
  case "$1" in
${subs}
  esac
}
_basishub_opts() {
  case "$1" in
${opts}
  esac
}
_basishub() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="" word i
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    [[ "$word" == -* ]] && continue
    if [[ " $(_basishub_subs "$path") " == *" $word "* ]]; then path="\${path:+$path }$word"; fi
  done
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$(_basishub_opts "$path")" -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$(_basishub_subs "$path")" -- "$cur"))
  fi
}
complete -o default -F _basishub basishub
`;
}

function zsh(nodes: Node[]): string {
  return `#compdef basishub
# basishub completion for zsh (made by \`basishub completion zsh\`): the bash completion, through
# zsh's bashcompinit.
autoload -U +X bashcompinit && bashcompinit
${bash(nodes)}`;
}

function quoteFish(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function fish(nodes: Node[]): string {
  const lines = ['# basishub completion for fish (made by `basishub completion fish`)'];
  for (const n of nodes) {
    const words = n.path === '' ? [] : n.path.split(' ');
    const seen = words.map((w) => `__fish_seen_subcommand_from ${w}`);
    const subNames = n.subs.map((s) => s.name).join(' ');
    const here = n.path === '' ? ['__fish_use_subcommand'] : [...seen, ...(subNames ? [`not __fish_seen_subcommand_from ${subNames}`] : [])];
    const cond = quoteFish(here.join('; and '));
    for (const s of n.subs) lines.push(`complete -c basishub -n ${cond} -a ${s.name} -d ${quoteFish(s.description)}`);
    if (n.path === '') continue;
    for (const o of n.options) {
      const long = o.flags.find((f) => f.startsWith('--'))?.slice(2);
      const short = o.flags.find((f) => /^-[^-]/.test(f))?.slice(1);
      if (long === undefined) continue;
      lines.push(`complete -c basishub -n ${quoteFish(seen.join('; and '))} -l ${long}${short ? ` -s ${short}` : ''} -d ${quoteFish(o.description)}`);
    }
  }
  return lines.join('\n') + '\n';
}

export function completionScript(program: Command, shell: Shell): string {
  const nodes = tree(program);
  return shell === 'bash' ? bash(nodes) : shell === 'zsh' ? zsh(nodes) : fish(nodes);
}
