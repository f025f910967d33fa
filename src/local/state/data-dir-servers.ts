/**
 * Which live servers use a data folder: each writes `servers/<pid>.<n>` while it runs. Only a server
 * that finds no other live one resumes unfinished jobs — otherwise it would retrain (and rewrite the
 * events of) a job another process is training right now. `ftpipe cache gc` leaves a folder in use alone.
 * Markers of dead processes (SIGKILL) are removed by the next server or gc.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const mineHere = new Set<string>();
let next = 0;

function markersDir(dataDir: string): string {
  return join(dataDir, 'servers');
}

/** The pids of the live servers using the folder (this process included when it serves it). */
export function liveServers(dataDir: string): number[] {
  const dir = markersDir(dataDir);
  if (!existsSync(dir)) return [];
  const pids: number[] = [];
  for (const name of readdirSync(dir)) {
    const pid = Number(name.split('.')[0]);
    const marker = join(dir, name);
    if (Number.isInteger(pid) && pid > 0 && (pid === process.pid ? mineHere.has(marker) : isAlive(pid))) pids.push(pid);
    else rmSync(marker, { force: true });
  }
  return pids;
}

export async function registerServer(dataDir: string): Promise<{ others: number[]; release(): Promise<void> }> {
  const others = liveServers(dataDir);
  const marker = join(markersDir(dataDir), `${process.pid}.${next++}`);
  await mkdir(markersDir(dataDir), { recursive: true });
  await writeFile(marker, new Date().toISOString());
  mineHere.add(marker);
  return {
    others,
    async release() {
      mineHere.delete(marker);
      await rm(marker, { force: true });
    },
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
