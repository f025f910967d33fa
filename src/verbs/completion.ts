/**
 * Shell completion scripts generated from the commander program itself, so they list exactly the
 * commands, options and choices this ftpipe has: subcommands, their flags, choice values (--provider,
 * --template, --format) and recipe files (*.yaml, *.yml) for positional arguments.
 */
import type { Command } from 'commander';

export interface CommandInfo {
  name: string;
  description: string;
  options: Array<{ flags: string[]; description: string; takesValue: boolean; choices?: string[] }>;
  /** Choices of the first positional argument (e.g. completion's shell), if any. */
  argumentChoices?: string[];
}

export function describeProgram(program: Command): CommandInfo[] {
  return program.commands.map((cmd) => ({
    name: cmd.name(),
    description: cmd.description(),
    options: cmd.options.map((o) => ({ flags: [o.short, o.long].filter((f): f is string => Boolean(f)), description: o.description, takesValue: o.required || o.optional, choices: o.argChoices })),
    argumentChoices: cmd.registeredArguments[0]?.argChoices,
  }));
}

export function completionScript(shell: 'bash' | 'zsh' | 'fish', commands: CommandInfo[]): string {
  return shell === 'bash' ? bash(commands) : shell === 'zsh' ? zsh(commands) : fish(commands);
}

function bash(commands: CommandInfo[]): string {
  const cases = commands.map((c) => {
    const flags = c.options.flatMap((o) => o.flags).join(' ');
    const choiceCases = c.options.filter((o) => o.choices).map((o) => `        ${o.flags.join('|')}) COMPREPLY=($(compgen -W "${o.choices!.join(' ')}" -- "$cur")); return ;;`);
    const args = c.argumentChoices ? `COMPREPLY=($(compgen -W "${c.argumentChoices.join(' ')}" -- "$cur"))` : `COMPREPLY=($(compgen -f -X '!*.y*ml' -- "$cur") $(compgen -d -- "$cur"))`;
    return [`    ${c.name})`, '      case "$prev" in', ...choiceCases, '      esac', `      if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "${flags} --help" -- "$cur")); else ${args}; fi`, '      ;;'].join('\n');
  });
  return `# ftpipe bash completion: eval "$(ftpipe completion bash)" in ~/.bashrc
_ftpipe() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  if [[ $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=($(compgen -W "${commands.map((c) => c.name).join(' ')} --help --version --verbose" -- "$cur"))
    return
  fi
  case "\${COMP_WORDS[1]}" in
${cases.join('\n')}
  esac
}
complete -o filenames -F _ftpipe ftpipe
`;
}

function zsh(commands: CommandInfo[]): string {
  const quote = (text: string) => text.replace(/'/g, "'\\''").replace(/[[\]:]/g, '\\$&');
  const subcommands = commands.map((c) => `    '${c.name}:${quote(c.description)}'`).join('\n');
  const cases = commands.map((c) => {
    const specs = c.options.flatMap((o) => {
      const value = o.takesValue ? `:value:${o.choices ? `(${o.choices.join(' ')})` : '_files'}` : '';
      return o.flags.map((f) => `'${f}[${quote(o.description)}]${value}'`);
    });
    const positional = c.argumentChoices ? `'1:${c.name}:(${c.argumentChoices.join(' ')})'` : `'*:recipe:_files -g "*.(yaml|yml)"'`;
    return `    ${c.name}) _arguments ${[...specs, positional].join(' ')} ;;`;
  });
  return `#compdef ftpipe
# ftpipe zsh completion: eval "$(ftpipe completion zsh)" in ~/.zshrc (after compinit)
_ftpipe() {
  local -a subcommands
  subcommands=(
${subcommands}
  )
  if (( CURRENT == 2 )); then
    _describe 'command' subcommands
    return
  fi
  case "$words[2]" in
${cases.join('\n')}
  esac
}
compdef _ftpipe ftpipe
`;
}

function fish(commands: CommandInfo[]): string {
  const quote = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const lines = ['# ftpipe fish completion: ftpipe completion fish > ~/.config/fish/completions/ftpipe.fish', 'complete -c ftpipe -f'];
  for (const c of commands) lines.push(`complete -c ftpipe -n __fish_use_subcommand -a ${c.name} -d ${quote(c.description)}`);
  for (const c of commands) {
    const when = `-n '__fish_seen_subcommand_from ${c.name}'`;
    lines.push(c.argumentChoices ? `complete -c ftpipe ${when} -a ${quote(c.argumentChoices.join(' '))}` : `complete -c ftpipe ${when} -a '(__fish_complete_suffix .yaml; __fish_complete_suffix .yml)'`);
    for (const o of c.options) {
      const names = o.flags.map((f) => (f.startsWith('--') ? `-l ${f.slice(2)}` : `-s ${f.slice(1)}`)).join(' ');
      const value = o.takesValue ? (o.choices ? ` -x -a ${quote(o.choices.join(' '))}` : ' -r') : '';
      lines.push(`complete -c ftpipe ${when} ${names}${value} -d ${quote(o.description)}`);
    }
  }
  return lines.join('\n') + '\n';
}
