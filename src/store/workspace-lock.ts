/**
 * One run at a time per workspace, also when runs start together and a crashed run left its lock.
 * The lock is a folder of numbered claims (.ftpipe/lock/<n>.json). A claim appears complete (written to
 * a temp file, then hard-linked to its number, which fails when the number is taken), and claim n+1 may
 * only be made by a process that saw claim n dead or released. The holder is the maker of the highest
 * claim. Taking over never deletes the claim it replaces, so two processes can never both hold it;
 * release rewrites the holder's claim as released, and the next holder deletes the older claims.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ExitCode, FtpipeError } from '../errors.js';
import { createFileExclusive, tempPathFor } from './atomic.js';
import { currentProcess, isProcessAlive, type ProcessIdentity } from './process-alive.js';

export interface WorkspaceLock {
  /** The previous holder died without releasing it (a crash): its leftovers may need sweeping. */
  readonly tookOverFromCrash: boolean;
  release(): void;
}

interface Claim extends ProcessIdentity {
  startedAt: string;
  command?: string;
  released?: boolean;
}

export interface LockOptions {
  wait?: boolean;
  signal?: AbortSignal;
  /** What holds it, for the "busy" message (e.g. "ftpipe run pipelines/x.yaml"). */
  command?: string;
}

export async function acquireWorkspaceLock(dir: string, options: LockOptions = {}): Promise<WorkspaceLock> {
  mkdirSync(dir, { recursive: true });
  const me: Claim = { ...currentProcess(), startedAt: new Date().toISOString(), ...(options.command ? { command: options.command } : {}) };
  for (;;) {
    if (options.signal?.aborted) throw new FtpipeError('interrupted while waiting for the workspace lock', 'INTERRUPTED', { exitCode: ExitCode.interrupted });
    const attempt = tryClaim(dir, me);
    if (attempt.held) return attempt.lock;
    if (!attempt.owner) continue; // lost a race for a number: look again at once
    if (!options.wait) {
      const what = attempt.owner.command ?? 'another ftpipe run';
      // A claim from another machine (a shared folder, a container that got a new hostname) cannot be checked
      // for life from here: it is never taken over silently, and the user is told how to release it.
      const elsewhere = attempt.owner.host !== undefined && attempt.owner.host !== me.host;
      throw new FtpipeError(`${what} (pid ${attempt.owner.pid}${elsewhere ? ` on host ${attempt.owner.host}` : ''}, started ${attempt.owner.startedAt}) is using this workspace`, 'WORKSPACE_LOCKED', {
        hint: elsewhere
          ? `ftpipe cannot tell from here whether it still runs: wait for it (--wait queues behind it), or, if nothing runs there any more, delete ${relative(process.cwd(), dir) || dir} and run again`
          : 'wait for it to finish, or pass --wait to queue behind it',
        exitCode: 2,
      });
    }
    await sleep(250, undefined, { signal: options.signal }).catch(() => undefined); // aborted: reported at the top of the loop
  }
}

type Attempt = { held: true; lock: WorkspaceLock } | { held: false; owner?: Claim };

function tryClaim(dir: string, me: Claim): Attempt {
  const numbers = claimNumbers(dir);
  const top = numbers[0];
  let tookOverFromCrash = false;
  if (top !== undefined) {
    const owner = readClaim(dir, top);
    if (owner === 'gone') return { held: false }; // deleted by a newer holder: a higher claim exists
    if (owner && !owner.released && isProcessAlive(owner)) return { held: false, owner };
    tookOverFromCrash = !owner || !owner.released;
  }
  const mine = (top ?? 0) + 1;
  const claimFile = join(dir, `${mine}.json`);
  if (!createFileExclusive(claimFile, JSON.stringify(me))) return { held: false };
  // A process that looked before older claims were deleted may have made a lower, now lone, number:
  // the highest claim wins, so check that nobody is above us.
  if (claimNumbers(dir)[0] !== mine) {
    rmSync(claimFile, { force: true });
    return { held: false };
  }
  for (const n of claimNumbers(dir)) if (n < mine) rmSync(join(dir, `${n}.json`), { force: true });
  let released = false;
  return {
    held: true,
    lock: {
      tookOverFromCrash,
      release() {
        if (released) return;
        released = true;
        // Replaced, never deleted: the highest claim must stay, or a late process could claim a lower number.
        const temp = tempPathFor(claimFile);
        try {
          writeFileSync(temp, JSON.stringify({ ...me, released: true }));
          renameSync(temp, claimFile);
        } catch {
          rmSync(temp, { force: true }); // could not write (disk full): our dead pid frees the lock just the same
        }
      },
    },
  };
}

function claimNumbers(dir: string): number[] {
  return readdirSync(dir)
    .map((name) => /^(\d+)\.json$/.exec(name)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => b - a);
}

function readClaim(dir: string, n: number): Claim | 'gone' | undefined {
  try {
    const claim = JSON.parse(readFileSync(join(dir, `${n}.json`), 'utf8')) as Claim;
    return typeof claim?.pid === 'number' ? claim : undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'gone' : undefined; // unreadable counts as dead
  }
}

