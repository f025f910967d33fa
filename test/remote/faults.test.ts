/**
 * Providers misbehave: rate limits, 5xx, dropped connections, lost responses, failing and slow jobs.
 * Whatever happens, the server must end up with exactly one file and one job.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { startLocalServer, type FaultConfig } from '../../src/local/server.js';
import { createProvider } from '../../src/providers/index.js';
import type { OpenAIApiProvider } from '../../src/providers/openai-api-provider.js';
import type { Provider } from '../../src/providers/types.js';
import { runStage } from '../helpers/run-stage.js';
import upload from '../../stages/upload.js';
import train from '../../stages/train.js';
import wait from '../../stages/wait.js';
import { localProvider, tempWorkspace, writeTrainingFile } from './local-fixture.js';
import { startLossyProxy } from './lossy-proxy.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function compatibleProviderOn(url: string, token: string, workspace: string): Promise<Provider> {
  // The local server keeps job metadata, as OpenAI does: lost creates can be found by their ftpipe_key.
  const provider = await createProvider({ kind: 'openai-compatible', base_url: url, api_key_env: 'LOCAL_TOKEN', job_lookup: 'metadata' }, { workspace, env: { LOCAL_TOKEN: token } });
  cleanups.push(() => provider.close());
  return provider;
}

async function serverWith(faults: FaultConfig) {
  const workspace = tempWorkspace();
  const server = await startLocalServer({ dataDir: join(workspace, 'state'), token: 'test-token', faults });
  cleanups.push(() => server.close());
  return { workspace, server };
}

const values = (run: { result: unknown }) => (run.result as { values: Record<string, any> }).values;
const jobsOn = async (p: Provider) => (await (p as OpenAIApiProvider).listJobs()).length;

describe('faults', () => {
  it('429 (retry-after honoured), 503 and a dropped connection: one upload, one job', async () => {
    const { workspace, server } = await serverWith({
      dropConnection: { first: 1, routes: ['POST /v1/files'] },
      serverError: { first: 2, status: 503, routes: ['POST /v1/fine_tuning/jobs'] },
      rateLimit: { first: 2, retryAfterSeconds: 0.3, routes: ['GET /v1/files'] },
    });
    const provider = await compatibleProviderOn(server.url, 'test-token', workspace);
    const started = Date.now();
    const up = await runStage(upload, { params: { input: writeTrainingFile(workspace) }, provider });
    // Two 429s asking for 300 ms each were waited out, not hammered through.
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
    const tr = await runStage(train, { params: { model: 'local', training_file: values(up).file_id }, provider, key: 'faulty-key' });
    expect(values(tr).job_id).toMatch(/^ftjob-/);
    const counts = server.requestCounts();
    expect(counts['POST /v1/files']).toBe(2); // dropped once, then created
    expect(counts['POST /v1/fine_tuning/jobs']).toBe(3); // two 503s, then created
    expect(await provider.listFiles({ purpose: 'fine-tune' })).toHaveLength(1);
    expect(await jobsOn(provider)).toBe(1);
  });

  it('lost responses after a create: find-before-create adopts instead of creating again', async () => {
    const { workspace, server } = await serverWith({});
    const dropFiles = await startLossyProxy(server.url, { route: 'POST /v1/files', times: 1 });
    cleanups.push(() => dropFiles.close());
    const files = await compatibleProviderOn(dropFiles.url, 'test-token', workspace);
    const up = await runStage(upload, { params: { input: writeTrainingFile(workspace) }, provider: files });
    expect(dropFiles.lost()).toBe(1);

    const dropJobs = await startLossyProxy(server.url, { route: 'POST /v1/fine_tuning/jobs', times: 2 });
    cleanups.push(() => dropJobs.close());
    const jobs = await compatibleProviderOn(dropJobs.url, 'test-token', workspace);
    const tr = await runStage(train, { params: { model: 'local', training_file: values(up).file_id }, provider: jobs, key: 'lossy-key' });
    expect(dropJobs.lost()).toBe(1); // the second attempt found the job instead of posting again
    expect(server.requestCounts()['POST /v1/files']).toBe(1);
    expect(server.requestCounts()['POST /v1/fine_tuning/jobs']).toBe(1);
    expect(await files.listFiles({ purpose: 'fine-tune' })).toHaveLength(1);
    expect(await jobsOn(jobs)).toBe(1);
    expect((await jobs.getJob(values(tr).job_id)).metadata.ftpipe_key).toBe('lossy-key');
  });

  it('a job failing at step N fails wait with the provider message and code', async () => {
    const workspace = tempWorkspace();
    const provider = await localProvider(workspace, { faults: { failJobAtStep: 2 } });
    cleanups.push(() => provider.close());
    const up = await runStage(upload, { params: { input: writeTrainingFile(workspace) }, provider });
    const tr = await runStage(train, { params: { model: 'local', training_file: values(up).file_id }, provider, key: 'fail-key' });
    const failure = runStage(wait, { params: { job_id: values(tr).job_id, poll_interval_ms: 50 }, provider });
    await expect(failure).rejects.toMatchObject({
      code: 'JOB_FAILED',
      message: expect.stringMatching(/failed: server_error: Fine-tuning failed at step 2/),
    });
    // A failed job is not adopted: the rerun of train makes a new one.
    const retry = await runStage(train, { params: { model: 'local', training_file: values(up).file_id }, provider, key: 'fail-key', state: { job_id: values(tr).job_id } });
    expect(values(retry).job_id).not.toBe(values(tr).job_id);
  });

  it('wait reattaches after an abort: the job kept running, the same job finishes', async () => {
    const workspace = tempWorkspace();
    const provider = await localProvider(workspace, { faults: { stepDelayMs: 30 } });
    cleanups.push(() => provider.close());
    const up = await runStage(upload, { params: { input: writeTrainingFile(workspace, 12) }, provider });
    const params = { model: 'local', training_file: values(up).file_id };
    const jobId = values(await runStage(train, { params, provider, key: 'abort-key' })).job_id;

    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('interrupted')), 200);
    await expect(runStage(wait, { params: { job_id: jobId, poll_interval_ms: 50 }, provider, signal: controller.signal })).rejects.toThrow('interrupted');
    expect((await provider.getJob(jobId)).status).toMatch(/preparing|queued|running/);

    // The rerun: train has the same key, so it hands over the same job; wait picks it up.
    const again = values(await runStage(train, { params, provider, key: 'abort-key' })).job_id;
    expect(again).toBe(jobId);
    const done = await runStage(wait, { params: { job_id: again, poll_interval_ms: 50, max_poll_interval_ms: 200 }, provider });
    expect(values(done)).toMatchObject({ status: 'succeeded', job_id: jobId });
    expect(await jobsOn(provider)).toBe(1);
  });
});
