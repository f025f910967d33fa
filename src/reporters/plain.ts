/** One line per event, for CI logs and pipes (no TTY or CI=true). */
import type { Reporter, RunEvent } from '../run/events.js';
import { formatDuration, stateMark } from './format.js';

const heartbeatMs = 15_000;

export function plainReporter(write: (line: string) => void = (l) => process.stdout.write(l + '\n'), options: { verbose?: boolean } = {}): Reporter {
  const lastProgress = new Map<string, number>();
  return {
    onEvent(event: RunEvent) {
      switch (event.type) {
        case 'run:start':
          write(`ftpipe: ${event.recipe} (${event.stages.length} stages)`);
          break;
        case 'stage:decided':
          if (event.action === 'run') write(`  ${event.id}: will run (${event.reasons.join('; ')})`);
          else if (options.verbose) write(`  ${event.id}: ${event.action} (${event.reasons.join('; ')})`);
          break;
        case 'stage:start':
          lastProgress.set(event.id, Date.now());
          break;
        case 'stage:progress': {
          // Plain lines stay in the log for good: a progress line only as a heartbeat of a long stage.
          const now = Date.now();
          if (now - (lastProgress.get(event.id) ?? now) < heartbeatMs) break;
          lastProgress.set(event.id, now);
          write(`  ${event.id}: ${progressText(event)}`);
          break;
        }
        case 'stage:log':
          if (event.level === 'warn') write(indent(`  ${event.id}: warning: ${event.message}`));
          else if (event.level === 'info' || options.verbose) write(indent(`  ${event.id}: ${event.message}`));
          break;
        case 'stage:end':
          write(`${stateMark(event.state)} ${event.id} ${event.state}${event.durationMs > 50 ? ` in ${formatDuration(event.durationMs)}` : ''}${event.summary ? `: ${event.summary}` : ''}${event.error ? `: ${event.error.message}` : ''}`);
          break;
        case 'warning':
          write(`warning: ${event.message}`);
          break;
        case 'run:end':
          write(runEndLine(event));
          break;
      }
    },
  };
}

export function runEndLine(event: Extract<RunEvent, { type: 'run:end' }>): string {
  const parts = Object.entries(event.counts).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`);
  // "12 ran" after --force would claim work that was reused: say which stages reused what.
  const reused = event.reused ?? [];
  if (reused.length > 0) {
    const at = parts.findIndex((p) => p.endsWith(' ran'));
    const detail = `of which ${reused.length} reused earlier work: ${reused.map((r) => `${r.id} ${r.what}`).join('; ')}`;
    if (at >= 0) parts[at] = `${parts[at]} (${detail})`;
  }
  return `${event.ok ? 'done' : 'failed'} in ${formatDuration(event.durationMs)}: ${parts.join(', ') || 'nothing to do'}`;
}

/** Continuation lines of a multi-line message line up under its first line. */
function indent(text: string): string {
  return text.split('\n').join('\n    ');
}

export function progressText(event: { done?: number; total?: number; message?: string }): string {
  const count = event.done !== undefined ? (event.total ? `${event.done}/${event.total}` : `${event.done}`) : '';
  return [count, event.message].filter(Boolean).join(' ');
}
