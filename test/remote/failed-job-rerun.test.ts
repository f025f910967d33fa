/**
 * Issue 11 item 6: a training job that ended failed is not a cached result. The run where wait finds
 * the failure marks train's result stale; the rerun creates exactly one new job — also when that rerun
 * is killed right after the new job exists — and neither the lock nor the run-cache brings the failed
 * job back. The real CLI on the local provider (a job failing at step 1, then a healthy provider).
 */
import { describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Project } from '../helpers/project.js';
import { localJob, localJobIds, runKilledWhen, trainingProject, uploadTrainRecipe } from './remote-project.js';

const recipe = (faults: string) => uploadTrainRecipe({ name: 'retrain', provider: `{ kind: local, faults: ${faults} }`, train: 'n_epochs: 1', wait: true });

const trainEntry = (p: Project) => parse(p.read('ftpipe.lock')).pipelines['pipelines/retrain.yaml'].stages.train;

async function projectWithFailedJob(): Promise<{ p: Project; failed: string }> {
  const p = trainingProject({ 'pipelines/retrain.yaml': recipe('{ failJobAtStep: 1 }') });
  const first = await p.run(['run', 'pipelines/retrain.yaml']);
  expect(first.code, first.stdout + first.stderr).toBe(1);
  expect(first.stderr).toMatch(/fine-tuning job ftjob-\S+ failed: server_error/);
  const [failed] = localJobIds(p);
  expect(localJob(p, failed).status).toBe('failed');
  // The provider is healthy again (faults are not part of the key: the same stage keys apply).
  p.write('pipelines/retrain.yaml', recipe('{ stepDelayMs: 60 }'));
  return { p, failed };
}

describe('a failed training job is not cached', () => {
  it('the rerun creates exactly one new job, also when that rerun is killed right after creating it', async () => {
    const { p, failed } = await projectWithFailedJob();
    const status = await p.run(['status', 'pipelines/retrain.yaml']);
    expect(status.stdout).toContain(`train: will run: its job ${failed} ended failed (found by wait)`);

    const killed = await runKilledWhen(p, ['run', 'pipelines/retrain.yaml'], () => localJobIds(p).length >= 2);
    expect(killed.signalled, killed.output).toBe(true);
    expect(localJobIds(p)).toHaveLength(2);

    const rerun = await p.run(['run', 'pipelines/retrain.yaml']);
    expect(rerun.code, rerun.stdout + rerun.stderr).toBe(0);
    const jobs = localJobIds(p);
    expect(jobs).toHaveLength(2); // the killed run's job was adopted, not made again
    const fresh = jobs.find((id) => id !== failed)!;
    expect(localJob(p, fresh).status).toBe('succeeded');
    expect(localJob(p, fresh).metadata?.ftpipe_key).toBe(`${trainEntry(p).key}#2`);
    expect(trainEntry(p).outputs).toMatchObject({ job_id: { value: fresh }, supersedes: { value: [failed] } });
    expect(rerun.stdout).toMatch(/✓ wait ran\b.*ft:local/);

    const noop = await p.run(['run', 'pipelines/retrain.yaml']);
    expect(noop.stdout).toMatch(/done in .*: 3 cached$/m);
    expect(localJobIds(p)).toHaveLength(2);
  });

  it('the run-cache does not restore the failed job either (ftpipe.lock deleted)', async () => {
    const { p, failed } = await projectWithFailedJob();
    rmSync(join(p.root, 'ftpipe.lock'));
    const rerun = await p.run(['run', 'pipelines/retrain.yaml']);
    expect(rerun.code, rerun.stdout + rerun.stderr).toBe(0);
    expect(rerun.stdout).not.toContain('train restored');
    expect(localJobIds(p)).toHaveLength(2);
    expect(trainEntry(p).outputs.job_id.value).not.toBe(failed);
  });
});
