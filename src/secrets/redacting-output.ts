/** Everything the CLI prints passes redactSecrets: reporters, errors, --verbose causes, --json events, listr2. */
import { redactSecrets } from './redact.js';

export function redactProcessOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      const text = typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : undefined;
      return write(text === undefined ? chunk : redactSecrets(text), ...(typeof chunk === 'string' ? rest : rest.filter((r) => typeof r === 'function')));
    }) as typeof stream.write;
  }
}
