import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('import-cfg')
    .description('turn the original scripts\' data_process.cfg, train.cfg and infer.cfg into a recipe (printed to stdout)')
    .option('--data-process <file>', 'data_process.cfg (sys_prompt, task_type)')
    .option('--train <file>', 'train.cfg (model, n_epochs, batch_size, learning_rate_multiplier, training_file, validation_file)')
    .option('--infer <file>', 'infer.cfg (model, ft_job_id, max_tokens, temperature, sys_prompt, user_input)')
    .option('--input <file>', 'the ShareGPT data file data_process.py was given with -i', 'data/input.json')
    .option('--name <name>', 'recipe name', 'imported')
    .action(async (opts) => {
      const { importCfg } = await import('../verbs/import-cfg.js');
      process.stdout.write(importCfg(opts));
    });
}
