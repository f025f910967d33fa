/**
 * Issue 11 items 7 and 8. `--force train` trains again: a new job, the lock lists the one it replaced,
 * and a forced run killed right after creating its job resumes that job when rerun (no duplicate).
 * Ctrl-C while train talks to the provider ends the run as interrupted (exit 130), never as a failure.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Project } from '../helpers/project.js';
import { localJobIds, runKilledWhen, trainingProject, uploadTrainRecipe } from './remote-project.js';

const recipe = uploadTrainRecipe({ name: 'force', provider: '{ kind: local, faults: { stepDelayMs: 40 } }', train: 'n_epochs: 1', wait: true });

const trainOutputs = (p: Project) => parse(p.read('ftpipe.lock')).pipelines['pipelines/force.yaml'].stages.train.outputs;

describe('--force train', () => {
  it('creates a new job, records the replaced one, and resumes a killed forced run instead of duplicating', async () => {
    const p = trainingProject({ 'pipelines/force.yaml': recipe });
    expect((await p.run(['run', 'pipelines/force.yaml'])).code).toBe(0);
    const first = trainOutputs(p).job_id.value;

    const forced = await p.run(['run', 'pipelines/force.yaml', '--force', 'train']);
    expect(forced.code, forced.stdout + forced.stderr).toBe(0);
    const second = trainOutputs(p).job_id.value;
    expect(second).not.toBe(first);
    expect(trainOutputs(p).supersedes.value).toEqual([first]);
    expect(forced.stdout).toContain(`replaces ${first}`);
    expect(forced.stdout).toMatch(/✓ wait ran/); // the new job's model is waited for
    expect(localJobIds(p)).toHaveLength(2);

    // Killed the moment the third job exists (before its id can reach the lock); the same command again adopts it.
    const killed = await runKilledWhen(p, ['run', 'pipelines/force.yaml', '--force', 'train'], () => localJobIds(p).length >= 3);
    expect(killed.signalled, killed.output).toBe(true);
    const again = await p.run(['run', 'pipelines/force.yaml', '--force', 'train']);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(localJobIds(p)).toHaveLength(3);
    const third = trainOutputs(p).job_id.value;
    expect([first, second]).not.toContain(third);
    expect(trainOutputs(p).supersedes.value).toEqual([first, second]);

    const noop = await p.run(['run', 'pipelines/force.yaml']);
    expect(noop.stdout).toMatch(/done in .*: 3 cached$/m);
    expect(localJobIds(p)).toHaveLength(3);
  });
});

describe('Ctrl-C during train', () => {
  it('exits 130 and says interrupted, whatever train was doing when the signal came', async () => {
    // Ctrl-C the moment the job exists: train is reading the answer, writing its state, or has just returned.
    let interrupted = 0;
    for (let trial = 0; trial < 3; trial++) {
      const p = trainingProject({ 'pipelines/force.yaml': recipe });
      const run = await runKilledWhen(p, ['run', 'pipelines/force.yaml', '--until', 'train'], () => localJobIds(p).length >= 1, { signal: 'SIGINT' });
      if (!run.signalled) continue;
      interrupted++;
      expect(run.code, run.output).toBe(130);
      // Either train was stopped, or it had just finished: then the run says so, and still exits 130.
      expect(run.output).toMatch(/train (was )?interrupted|interrupted: the stages that were running finished first/);
      expect(run.output).not.toMatch(/This operation was aborted|INTERNAL/);
    }
    expect(interrupted).toBeGreaterThan(0);
  });
});
