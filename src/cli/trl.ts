import type { Command } from 'commander';
import { positiveInt } from './options.js';

/** `ftpipe trl setup|check|join`: the trl provider's Python environment and multi-node jobs. */
export function register(program: Command): void {
  const trl = program.command('trl').description('the self-hosted trl provider: its Python environment (setup, check) and multi-node jobs (join)');
  trl
    .command('setup')
    .description('make the venv the trl provider uses (pinned torch, transformers, trl, peft, accelerate, datasets) in the per-user cache')
    .argument('[pip-args...]', 'extra pip arguments, after --, e.g. -- --index-url https://download.pytorch.org/whl/cpu')
    .option('--python <exe>', 'the Python 3.10+ to build it from', undefined)
    .option('--venv <dir>', 'where to make it (default: $FTPIPE_TRL_VENV, else ~/.cache/ftpipe/trl-venv-<pins>)')
    .option('--with-tests', 'also install pytest (the driver\'s own tests)')
    .option('--force', 'make it again even when it is up to date')
    .action(async (pipArgs: string[], opts: { python?: string; venv?: string; withTests?: boolean; force?: boolean }) => {
      const { setupTrlVenv } = await import('../providers/trl/setup.js');
      const started = Date.now();
      const result = await setupTrlVenv({ ...opts, pipArgs, env: process.env, log: (line) => process.stderr.write(`${line}\n`) });
      process.stderr.write(`${result.reused ? 'up to date' : 'ready'} in ${((Date.now() - started) / 1000).toFixed(1)}s: ${result.venv}\n`);
      process.stdout.write(`${result.python}\n`);
    });
  trl
    .command('check')
    .description('show the Python the trl provider would use, its packages and devices, and what is missing')
    .option('--python <exe>', 'check this interpreter instead')
    .action(async (opts: { python?: string }) => {
      const { environmentReport } = await import('../providers/trl/environment-report.js');
      process.exitCode = await environmentReport({ python: opts.python, env: process.env, write: (line) => process.stdout.write(`${line}\n`) });
    });
  trl
    .command('join')
    .description('run a multi-node job\'s launcher on this machine (the job folder must be on shared storage)')
    .argument('<job-id>', 'the job to join, e.g. ftjob-trl-…')
    .requiredOption('--machine-rank <n>', 'this machine\'s rank (1 … num_machines - 1)', positiveInt)
    .option('--data-dir <dir>', 'the provider\'s data_dir', '.ftpipe/trl')
    .action(async (jobId: string, opts: { machineRank: number; dataDir: string }) => {
      const { joinJob } = await import('../providers/trl/join-command.js');
      process.exitCode = await joinJob({ jobId, machineRank: opts.machineRank, dataDir: opts.dataDir, env: process.env });
    });
}
