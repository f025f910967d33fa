import { Argument, type Command } from 'commander';

export function register(program: Command): void {
  program
    .command('completion')
    .description('print a shell completion script: eval "$(ftpipe completion bash)" (or zsh, fish)')
    .addArgument(new Argument('<shell>', 'your shell').choices(['bash', 'zsh', 'fish']))
    .action(async (shell: 'bash' | 'zsh' | 'fish') => {
      const { completionScript, describeProgram } = await import('../verbs/completion.js');
      process.stdout.write(completionScript(shell, describeProgram(program)));
    });
}
