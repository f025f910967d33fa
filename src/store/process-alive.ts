/**
 * Who wrote a lock claim or a temp file, and whether that process still runs. A pid alone can be reused
 * after a crash, so on Linux the process start time (/proc/<pid>/stat) must match too.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

export interface ProcessIdentity {
  pid: number;
  /** Start time in clock ticks since boot (Linux); absent elsewhere. */
  start?: number;
  host: string;
}

export function currentProcess(): ProcessIdentity {
  const start = startTimeOf(process.pid);
  return { pid: process.pid, ...(start === undefined ? {} : { start }), host: hostname() };
}

/** Another machine's process cannot be checked: it counts as alive (never take over what may be in use). */
export function isProcessAlive(owner: Pick<ProcessIdentity, 'pid'> & Partial<ProcessIdentity>): boolean {
  if (owner.host !== undefined && owner.host !== hostname()) return true;
  if (!pidExists(owner.pid)) return false;
  if (owner.start === undefined) return true;
  const start = startTimeOf(owner.pid);
  return start === undefined || start === owner.start;
}

export function pidExists(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function startTimeOf(pid: number): number | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22; the command name (field 2) may hold spaces and parentheses, so count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const start = Number(fields[19]);
    return Number.isFinite(start) ? start : undefined;
  } catch {
    return undefined;
  }
}
