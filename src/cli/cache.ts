import { Option, type Command } from 'commander';
import { nonNegativeNumber } from './options.js';

export function register(program: Command): void {
  const cache = program.command('cache').description('manage the local artifact store (.ftpipe/)');
  cache
    .command('gc')
    .description('delete artifacts, and local-provider models and checkpoints, that neither ftpipe.lock nor a recent run-cache entry refers to, and eval responses not used recently')
    .option('--root <dir>', 'workspace root', '.')
    .addOption(new Option('--keep-days <days>', 'keep run-cache entries (and their artifacts) younger than this, and eval responses used within this').default(30).argParser(nonNegativeNumber))
    .option('--dry-run', 'only print what would be deleted')
    .option('--wait', 'if a run holds the workspace, wait for it instead of refusing')
    .action(async (opts: { root: string; keepDays: number; dryRun?: boolean; wait?: boolean }) => {
      const { collectGarbage } = await import('../verbs/cache-gc.js');
      const r = await collectGarbage(opts.root, opts);
      process.stdout.write(`${opts.dryRun ? 'would delete' : 'deleted'} ${r.objects} artifact(s) (${(r.bytes / 1e6).toFixed(1)} MB) and ${r.records} run-cache entr(ies); kept ${r.kept}\n`);
      process.stdout.write(`${opts.dryRun ? 'would delete' : 'deleted'} ${r.responses.entries} eval response(s) unused for ${opts.keepDays} days (${(r.responses.bytes / 1e6).toFixed(1)} MB); kept ${r.responses.kept}\n`);
      process.stdout.write(`${opts.dryRun ? 'would delete' : 'deleted'} ${r.local.models} local-provider model(s) and checkpoint(s) (${(r.local.bytes / 1e6).toFixed(1)} MB)${r.local.skipped.map((s) => `; skipped ${s}`).join('')}\n`);
    });
}
