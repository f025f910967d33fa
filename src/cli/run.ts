import { Option, type Command } from 'commander';
import { collect, collectRaw, nonNegativeNumber, positiveInt, providerOption } from './options.js';

export function register(program: Command): void {
  program
    .command('run')
    .description('run a recipe: every stage whose inputs, params or implementation changed; the rest is cached')
    .argument('<recipe>', 'recipe file, e.g. pipelines/error-cat.yaml')
    .option('--only <stages>', 'run only these stages (comma-separated, repeatable)', collect)
    .option('--from <stage>', 'run this stage and everything downstream of it')
    .option('--until <stage>', 'run this stage and everything upstream of it')
    .option('--force [stages]', 'rerun these stages (or all) even if cached', collect)
    .option('--set <stage.param=value>', 'override a param, e.g. --set train.n_epochs=5 (repeatable)', collectRaw)
    .option('--jobs <n>', 'stages run in parallel at most', positiveInt, 2)
    .option('--check', 'for CI: exit 3 if anything would run or ftpipe.lock is stale; runs nothing')
    .option('--json', 'one JSON event per line on stdout')
    .option('--wait', 'if another run holds the workspace, wait for it instead of refusing')
    .addOption(new Option('--max-cost <usd>', 'refuse to start paid stages estimated above this').argParser(nonNegativeNumber))
    .addOption(providerOption())
    .action(async (recipe: string, opts, cmd: Command) => {
      const { runCommand } = await import('../verbs/run.js');
      const force = opts.force === true ? true : opts.force;
      try {
        process.exitCode = await runCommand(recipe, { ...opts, force, verbose: cmd.optsWithGlobals().verbose });
      } catch (error) {
        // Under --json a recipe error is an event on stdout too (machines read stdout); people still see stderr.
        if (opts.json) process.stdout.write(JSON.stringify((await import('./error-json.js')).errorJson(error)) + '\n');
        throw error;
      }
    });
}
