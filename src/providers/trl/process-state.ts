/**
 * Is a job's process still there? A pid alone can be reused after the process dies, so its start time is
 * recorded too (Linux: /proc/<pid>/stat field 22; elsewhere `ps -o lstart=`) and compared on every check.
 */
import { readFileSync } from 'node:fs';
import { execaSync } from 'execa';

export function processStartOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: split after its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z' || fields[0] === 'X') return null; // exited, waiting to be reaped
    return `proc:${fields[19]}`;
  } catch {
    if (process.platform === 'linux') return null;
  }
  try {
    const started = execaSync('ps', ['-o', 'lstart=', '-p', String(pid)], { reject: false }).stdout.trim();
    return started ? `ps:${started}` : null;
  } catch {
    return null;
  }
}

export function isAlive(pid: number | null, start: string | null): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const now = processStartOf(pid);
  return now !== null && (start === null || now === start);
}

/** Signals a whole process group (the supervisor and every rank under it); false when it is already gone. */
export function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}
