/** `--json`: one JSON object per line per event, for machines. */
import type { Reporter, RunEvent } from '../run/events.js';

export function jsonReporter(write: (line: string) => void = (l) => process.stdout.write(l + '\n')): Reporter {
  return { onEvent: (event: RunEvent) => write(JSON.stringify(event)) };
}
