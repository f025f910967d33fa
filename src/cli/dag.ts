import { Option, type Command } from 'commander';

export function register(program: Command): void {
  program
    .command('dag')
    .description('print the stage graph (text, mermaid or json)')
    .argument('<recipe>', 'recipe file')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'mermaid', 'json']).default('text'))
    .option('--json', 'the same as --format json')
    .action(async (recipe: string, opts: { format: 'text' | 'mermaid' | 'json'; json?: boolean }) => {
      const { loadRecipe } = await import('../recipe/load.js');
      const { renderDag } = await import('../verbs/dag.js');
      process.stdout.write(renderDag(await loadRecipe(recipe), opts.json ? 'json' : opts.format));
    });
}
