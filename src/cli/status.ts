import type { Command } from 'commander';
import { collectRaw, providerOption } from './options.js';

export function register(program: Command): void {
  program
    .command('status')
    .description('what would run and why (runs nothing)')
    .argument('<recipe>', 'recipe file')
    .option('--set <stage.param=value>', 'override a param (repeatable)', collectRaw)
    .option('--json', 'print JSON')
    .addOption(providerOption())
    .action(async (recipe: string, opts) => {
      const { statusCommand } = await import('../verbs/status.js');
      process.exitCode = await statusCommand(recipe, opts);
    });
}
