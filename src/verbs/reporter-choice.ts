import { jsonReporter } from '../reporters/json.js';
import { plainReporter } from '../reporters/plain.js';
import type { Reporter } from '../run/events.js';

/**
 * listr2 on an interactive terminal, plain lines in CI and pipes, JSON lines with --json. A terminal
 * that reports no width (0 columns: some CI runners, emulators, `script`) gets plain lines too: listr2
 * cannot lay out its tasks there.
 */
export async function chooseReporter(options: { json?: boolean; verbose?: boolean }): Promise<Reporter> {
  if (options.json) return jsonReporter();
  if (process.stdout.isTTY && !process.env.CI && (process.stdout.columns ?? 0) > 0) {
    const { listrReporter } = await import('../reporters/listr.js');
    return listrReporter();
  }
  return plainReporter(undefined, { verbose: options.verbose });
}
