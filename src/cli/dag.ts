import { Option, type Command } from 'commander';

export function register(program: Command): void {
  program
    .command('dag')
    .description('print the stage graph (text or mermaid)')
    .argument('<recipe>', 'recipe file')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'mermaid']).default('text'))
    .action(async (recipe: string, opts: { format: 'text' | 'mermaid' }) => {
      const { loadRecipe } = await import('../recipe/load.js');
      const { renderDag } = await import('../verbs/dag.js');
      process.stdout.write(renderDag(await loadRecipe(recipe), opts.format));
    });
}
