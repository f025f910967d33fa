/** One run at a time per workspace: an O_EXCL lock file holding the owner's pid; stale locks are taken over. */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FtpipeError } from '../errors.js';

export interface WorkspaceLock {
  release(): void;
}

export async function acquireWorkspaceLock(file: string, options: { wait?: boolean; signal?: AbortSignal } = {}): Promise<WorkspaceLock> {
  await mkdir(dirname(file), { recursive: true });
  for (;;) {
    try {
      writeFileSync(file, JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() }), { flag: 'wx' });
      return { release: () => rmSync(file, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = readOwner(file);
    if (!owner || !isAlive(owner.pid)) {
      rmSync(file, { force: true }); // the previous run died without releasing it
      continue;
    }
    if (!options.wait) {
      throw new FtpipeError(`another ftpipe run (pid ${owner.pid}, started ${owner.startedAt}) is using this workspace`, 'WORKSPACE_LOCKED', {
        hint: 'wait for it to finish, or pass --wait to queue behind it',
        exitCode: 2,
      });
    }
    await sleep(250, undefined, { signal: options.signal });
  }
}

function readOwner(file: string): { pid: number; startedAt: string } | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
