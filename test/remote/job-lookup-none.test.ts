/**
 * Issue 11 item 10: a provider that cannot find a job by ftpipe's key (capabilities.jobLookup "none",
 * the default of openai-compatible) never gets a create repeated blindly. Against a real server that
 * keeps no job metadata, with the answer to the create lost: exactly one job, a clear refusal on this
 * run and the next, and `--force train` (after the user checked) makes one new job.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startLocalServer } from '../../src/local/server.js';
import { createProvider } from '../../src/providers/index.js';
import type { OpenAIApiProvider } from '../../src/providers/openai-api-provider.js';
import { tempWorkspace } from './local-fixture.js';
import { startNoMetadataProxy } from './no-metadata-proxy.js';
import { trainingProject, uploadTrainRecipe } from './remote-project.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function serverWithoutMetadata() {
  // Slow steps: the stray job is still running when the user cancels it.
  const server = await startLocalServer({ dataDir: join(tempWorkspace(), 'state'), token: 'upstream-token', faults: { stepDelayMs: 200 } });
  cleanups.push(() => server.close());
  const proxy = await startNoMetadataProxy(server.url, 'upstream-token');
  cleanups.push(() => proxy.close());
  const direct = (await createProvider({ kind: 'openai-compatible', base_url: server.url, api_key_env: 'T' }, { workspace: tempWorkspace(), env: { T: 'upstream-token' } })) as OpenAIApiProvider;
  return { server, proxy, direct };
}

const recipe = (baseUrl: string) => uploadTrainRecipe({ name: 'nometa', provider: `{ kind: openai-compatible, base_url: '${baseUrl}' }`, train: 'n_epochs: 1' });

describe('job lookup "none": no blind creates', () => {
  it('a lost create answer makes one job and a clear refusal; --force after checking makes exactly one more', async () => {
    const { server, proxy, direct } = await serverWithoutMetadata();
    const p = trainingProject({ 'pipelines/nometa.yaml': recipe(proxy.url) });
    proxy.loseCreates(5);
    const first = await p.run(['run', 'pipelines/nometa.yaml']);
    expect(first.code, first.stdout + first.stderr).toBe(1);
    expect(first.stderr).toMatch(/the request creating the fine-tuning job got no answer; provider openai-compatible cannot look jobs up by ftpipe's key.*\[JOB_CREATE_UNCERTAIN\]/);
    expect(first.stderr).toContain('--force train');
    expect(server.requestCounts()['POST /v1/fine_tuning/jobs']).toBe(1);
    const [made] = await direct.listJobs();
    expect(await direct.listJobs()).toHaveLength(1);

    proxy.loseCreates(0);
    const again = await p.run(['run', 'pipelines/nometa.yaml']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/an earlier run was stopped while creating the fine-tuning job .*cannot tell whether the job exists/);
    expect(await direct.listJobs()).toHaveLength(1);

    // The user found the stray job, cancelled it, and confirms a new one.
    await direct.cancelJob(made.id);
    const forced = await p.run(['run', 'pipelines/nometa.yaml', '--force', 'train']);
    expect(forced.code, forced.stdout + forced.stderr).toBe(0);
    const jobs = await direct.listJobs();
    expect(jobs).toHaveLength(2);
    const lock = parse(p.read('ftpipe.lock')).pipelines['pipelines/nometa.yaml'].stages.train;
    expect(lock.outputs.job_id.value).toBe(jobs.find((j) => j.id !== made.id)!.id);
  });

  it('without lost answers it creates one job as usual, and reruns adopt it by the recorded id', async () => {
    const { proxy, direct } = await serverWithoutMetadata();
    const p = trainingProject({ 'pipelines/nometa.yaml': recipe(proxy.url) });
    expect((await p.run(['run', 'pipelines/nometa.yaml'])).code).toBe(0);
    expect((await p.run(['run', 'pipelines/nometa.yaml', '--force', 'train'])).code).toBe(0);
    expect(await direct.listJobs()).toHaveLength(2); // forced: a new job, as asked
    expect((await p.run(['run', 'pipelines/nometa.yaml'])).code).toBe(0);
    expect(await direct.listJobs()).toHaveLength(2);
  });
});
