/** How an error reaches the user: message, where, hint; a stack trace only for bugs or with --verbose. */
import { ExitCode, FtpipeError, RecipeError, formatLocation } from '../errors.js';
import { diskError } from '../store/disk-errors.js';

export function reportError(thrown: unknown, options: { verbose: boolean }, write: (text: string) => void = (t) => process.stderr.write(t)): number {
  const error = diskError(thrown) ?? thrown;
  if (error instanceof RecipeError) {
    for (const p of error.problems) write(`${formatLocation(p)}: error: ${p.message}\n${p.hint ? `  hint: ${p.hint}\n` : ''}`);
    if (error.problems.length > 1) write(`${error.problems.length} problems found\n`);
    return error.exitCode;
  }
  if (error instanceof FtpipeError) {
    const where = error.location ? `${formatLocation(error.location)}: ` : '';
    const stage = error.stage ? `stage "${error.stage}": ` : '';
    write(`error: ${where}${stage}${error.message}${error.code ? ` [${error.code}]` : ''}\n`);
    if (error.hint) write(`  hint: ${error.hint}\n`);
    if (options.verbose) writeCauses(error, write);
    return error.exitCode;
  }
  write(`internal error: ${error instanceof Error ? error.stack : String(error)}\nthis is a bug in ftpipe, please report it\n`);
  return ExitCode.stageFailed;
}

function writeCauses(error: Error, write: (text: string) => void): void {
  let cause = error.cause;
  while (cause) {
    write(`  caused by: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}\n`);
    cause = cause instanceof Error ? cause.cause : undefined;
  }
}
