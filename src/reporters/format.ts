import type { StageState } from '../run/events.js';

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  return `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`;
}

export function stateMark(state: StageState): string {
  return { cached: '•', restored: '↺', ran: '✓', failed: '✗', skipped: '-', interrupted: '!' }[state];
}
