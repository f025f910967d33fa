import { Option, type Command } from 'commander';

export function register(program: Command): void {
  program
    .command('init')
    .description('start a project: a recipe, a small sample data file, .gitignore entries and ftpipe.lock')
    .argument('[dir]', 'folder to create the project in', '.')
    .addOption(new Option('--template <name>', 'what your data looks like').choices(['chat-jsonl', 'sharegpt', 'csv']).default('chat-jsonl'))
    .action(async (dir: string, opts: { template: 'chat-jsonl' | 'sharegpt' | 'csv' }) => {
      const { initProject } = await import('../verbs/init.js');
      process.exitCode = await initProject({ dir, template: opts.template });
    });
}
