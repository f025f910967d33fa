/** Peak resident memory of this process (worker threads included): VmHWM on Linux, else the current RSS. */
import { readFileSync } from 'node:fs';

export function peakRssMb(): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) / 1024;
  } catch {}
  return process.memoryUsage().rss / 2 ** 20;
}
