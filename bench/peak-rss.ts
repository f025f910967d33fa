/** Peak resident memory of this process (worker threads included): VmHWM, reset per section. */
import { readFileSync, writeFileSync } from 'node:fs';

export function resetPeakRss(): void {
  try {
    // Writing 5 to clear_refs resets VmHWM on Linux; elsewhere sampling below still works.
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {}
}

export function peakRssMb(): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) / 1024;
  } catch {}
  return process.memoryUsage().rss / 2 ** 20;
}
