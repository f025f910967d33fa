import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('lint')
    .description('check a recipe (schema, params, references, cycles, secrets, input files, defaults) without running anything')
    .argument('<recipes...>', 'recipe files')
    .action(async (recipes: string[]) => {
      const { loadRecipe } = await import('../recipe/load.js');
      const { reportError } = await import('./report-error.js');
      let failed = 0;
      for (const file of recipes) {
        try {
          const recipe = await loadRecipe(file, { lint: true });
          process.stdout.write(`${recipe.name}: ok (${recipe.stages.size} stages)\n`);
        } catch (error) {
          failed = reportError(error, { verbose: false });
        }
      }
      process.exitCode = failed;
    });
}
