/**
 * Temp files of writers that died (a killed run, a crashed server) are never renamed into place: the
 * next run removes them. A temp is swept only when the pid in its name no longer runs, so a write in
 * progress in another process (the studio, `ftpipe serve`) is never touched.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { TEMP_NAME } from './atomic.js';
import { pidExists } from './process-alive.js';

/** Sweeps the workspace root (its own files only) and all of .ftpipe/ (object trees are not entered). */
export async function sweepDeadTemps(root: string): Promise<string[]> {
  const removed: string[] = [];
  await sweepDir(root, { recursive: false, removed });
  await sweepDir(join(root, '.ftpipe'), { recursive: true, removed, skip: (path) => /[\\/]objects[\\/][0-9a-f]{2}[\\/][^\\/]+[\\/]/.test(path) });
  return removed;
}

/** Sweeps one folder (not its subfolders): e.g. the local provider's files, wherever its data folder is. */
export async function sweepDeadTempsIn(dir: string): Promise<string[]> {
  const removed: string[] = [];
  await sweepDir(dir, { recursive: false, removed });
  return removed;
}

async function sweepDir(dir: string, options: { recursive: boolean; removed: string[]; skip?: (path: string) => boolean }): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return; // absent or unreadable: nothing to sweep there
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    const writer = TEMP_NAME.exec(entry.name)?.[1];
    if (writer !== undefined) {
      if (Number(writer) !== process.pid && !pidExists(Number(writer))) {
        await rm(path, { recursive: true, force: true });
        options.removed.push(path);
      }
      continue;
    }
    if (options.recursive && entry.isDirectory() && !options.skip?.(path + '/')) await sweepDir(path, options);
  }
}
