/**
 * The kill loop, short: SIGKILLs at random moments inside upload / train / wait / eval, resumed each
 * time; then the store, the lock, the provider's files and jobs and the workspace are checked (see
 * scripts/kill-loop.mjs; run it with --cycles 10 --kills 8 for a long soak).
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { execa } from 'execa';
import { repoRoot } from '../helpers/project.js';

describe('kill loop', () => {
  it('random SIGKILLs then resume: no corrupt object, no duplicate upload or job, no stray temp, a no-op rerun', async () => {
    const result = await execa('node', [join(repoRoot, 'scripts', 'kill-loop.mjs'), '--cycles', '1', '--kills', '4', '--seed', '3'], { reject: false, timeout: 600_000 });
    const summary = JSON.parse(result.stdout);
    expect(summary.problems).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(summary.kills).toBeGreaterThanOrEqual(1);
    expect([summary.uploads, summary.jobs]).toEqual([1, 1]);
  }, 600_000);
});
