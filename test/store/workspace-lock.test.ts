/**
 * The workspace lock under real races: processes started together against a stale lock left by a
 * crashed run (every round's winner exits without releasing). Never two holders at once.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { acquireWorkspaceLock } from '../../src/store/workspace-lock.js';
import { repoRoot } from '../helpers/project.js';

const ROUNDS = 6;
const CONTENDERS = 5;

describe('workspace lock', () => {
  it(`${ROUNDS} rounds of ${CONTENDERS} processes racing for a stale lock: exactly one holder each round`, async () => {
    // scripts/lock-race.mjs is the race itself (run it with --rounds 500 for a longer soak).
    const result = await execa('node', [join(repoRoot, 'scripts', 'lock-race.mjs'), '--rounds', String(ROUNDS), '--contenders', String(CONTENDERS)], { reject: false });
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ rounds: ROUNDS, holders: ROUNDS, badRounds: 0, overlaps: 0 });
  });

  it('is exclusive in one process too; release hands it on; a released lock is taken without a takeover', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'ftpipe-lock-')), 'lock');
    const first = await acquireWorkspaceLock(dir, { command: 'ftpipe run a.yaml' });
    await expect(acquireWorkspaceLock(dir)).rejects.toMatchObject({ code: 'WORKSPACE_LOCKED', message: expect.stringContaining('ftpipe run a.yaml') });
    first.release();
    const second = await acquireWorkspaceLock(dir);
    expect(second.tookOverFromCrash).toBe(false);
    second.release();
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(readdirSync(dir)).toHaveLength(1); // older claims are deleted by the next holder
    rmSync(dir, { recursive: true });
  });

  it('--wait queues behind the holder and can be interrupted', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'ftpipe-lock-')), 'lock');
    const held = await acquireWorkspaceLock(dir);
    const controller = new AbortController();
    const waiting = acquireWorkspaceLock(dir, { wait: true, signal: controller.signal });
    await sleep(300);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'INTERRUPTED', exitCode: 130 });
    const queued = acquireWorkspaceLock(dir, { wait: true });
    await sleep(300);
    held.release();
    (await queued).release();
  });
});
