/**
 * The `ftpipe` command. Each subcommand lives in its own file and registers itself; implementations
 * are imported lazily so a no-op `ftpipe run` starts fast.
 */
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../paths.js';
import { reportError } from './report-error.js';
import { commandModules } from './commands.js';
import { redactProcessOutput } from '../secrets/redacting-output.js';

redactProcessOutput();

// A reader that goes away (`ftpipe status | head -1`) is no error: output stops, the command finishes quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
  });
}

const version = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')).version as string;

const program = new Command('ftpipe')
  .description('Fine-tuning pipelines as code: data prep, training and evaluation as one cached YAML recipe.')
  .version(version)
  .option('--verbose', 'show internals (decisions, debug logs, error causes)')
  .showHelpAfterError('(run ftpipe --help for usage)')
  .exitOverride();

for (const register of await commandModules()) register(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else {
    process.exitCode = reportError(error, { verbose: program.opts().verbose === true || process.argv.includes('--verbose') });
  }
}
