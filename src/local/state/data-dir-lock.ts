/**
 * One server per data folder: two processes training from the same state would each "resume" the
 * other's running jobs and overwrite each other's records. `server.pid` names the process serving it;
 * a stale one (its process is gone, e.g. after SIGKILL) is taken over. `ftpipe cache gc` leaves a folder
 * that is being served alone.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ExitCode, FtpipeError } from '../../errors.js';

const lockedHere = new Set<string>();

export function dataDirLockPath(dataDir: string): string {
  return join(dataDir, 'server.pid');
}

/** The pid of a live process serving the folder, or null. */
export function dataDirServer(dataDir: string): number | null {
  const file = dataDirLockPath(dataDir);
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) && (pid !== process.pid || lockedHere.has(dataDir)) ? pid : null;
}

export async function lockDataDir(dataDir: string): Promise<{ release(): Promise<void> }> {
  const file = dataDirLockPath(dataDir);
  const mine = `${process.pid}\n`;
  const inUse = (pid: number) =>
    new FtpipeError(`The local provider's data folder ${dataDir} is in use by another server (process ${pid}).`, 'LOCAL_DATA_DIR_IN_USE', {
      exitCode: ExitCode.usage,
      hint: `stop that server (ftpipe serve, a running ftpipe run or ftpipe studio) or give this one another data folder; if no process ${pid} runs, delete ${file}`,
    });
  if (lockedHere.has(dataDir)) throw inUse(process.pid);
  try {
    await writeFile(file, mine, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const holder = dataDirServer(dataDir);
    if (holder !== null) throw inUse(holder);
    // Stale: take it over atomically, then check no other process took it over at the same moment.
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, mine);
    await rename(temp, file);
    if ((await readFile(file, 'utf8')) !== mine) throw inUse(Number((await readFile(file, 'utf8')).trim()));
  }
  lockedHere.add(dataDir);
  return {
    async release() {
      lockedHere.delete(dataDir);
      if ((await readFile(file, 'utf8').catch(() => '')) === mine) await rm(file, { force: true });
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
