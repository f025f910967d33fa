import type { Command } from 'commander';
import { collect, collectRaw, providerOption } from './options.js';

export function register(program: Command): void {
  program
    .command('plan')
    .description('the run plan: each stage\'s decision and reason, paid stages with estimated billed tokens and cost, deprecation warnings (runs nothing)')
    .argument('<recipe>', 'recipe file')
    .option('--only <stages>', 'plan only these stages', collect)
    .option('--from <stage>', 'from this stage on')
    .option('--until <stage>', 'up to this stage')
    .option('--force [stages]', 'plan as if these stages (or all) were forced', collect)
    .option('--set <stage.param=value>', 'override a param (repeatable)', collectRaw)
    .option('--json', 'print JSON')
    .addOption(providerOption())
    .action(async (recipe: string, opts) => {
      const { statusCommand } = await import('../verbs/status.js');
      process.exitCode = await statusCommand(recipe, { ...opts, askProvider: true });
    });
}
