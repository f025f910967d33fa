import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('lint')
    .description('check a recipe (schema, params, references, cycles, secrets, input files, defaults) without running anything')
    .argument('<recipes...>', 'recipe files')
    .option('--json', 'print one JSON object: per recipe, ok or its problems with file, line and column')
    .action(async (recipes: string[], opts: { json?: boolean }) => {
      const { loadRecipe } = await import('../recipe/load.js');
      const { reportError } = await import('./report-error.js');
      const { errorJson } = await import('./error-json.js');
      let failed = 0;
      const results: unknown[] = [];
      for (const file of recipes) {
        try {
          const recipe = await loadRecipe(file, { lint: true });
          if (opts.json) results.push({ file, recipe: recipe.name, ok: true, stages: recipe.stages.size, problems: [] });
          else process.stdout.write(`${recipe.name}: ok (${recipe.stages.size} stages)\n`);
        } catch (error) {
          const { type: _type, ...details } = errorJson(error);
          if (opts.json) results.push({ file, ok: false, ...details });
          failed = opts.json ? details.exitCode : reportError(error, { verbose: false });
        }
      }
      if (opts.json) process.stdout.write(JSON.stringify({ ok: failed === 0, recipes: results }, null, 2) + '\n');
      process.exitCode = failed;
    });
}
