/**
 * upload → train → wait → infer on Together and Fireworks, each against its emulator over real HTTP,
 * through ftpipe's own stages: content-named uploads reused, one job per stage key even when the create
 * response is lost, jobs adopted by the vendor's lookup (Together: the suffix tag; Fireworks: the job
 * id), serving through serverless or a deployment, and teardown.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runStage } from '../helpers/run-stage.js';
import upload from '../../stages/upload.js';
import train from '../../stages/train.js';
import wait from '../../stages/wait.js';
import infer from '../../stages/infer.js';
import { parseMetricsCsv } from '../../src/providers/result-file.js';
import type { LocalServer } from '../../src/local/server.js';
import type { Provider } from '../../src/providers/types.js';
import { startLossyProxy } from '../remote/lossy-proxy.js';
import { sysPrompt, tempWorkspace, writeTrainingFile } from '../remote/local-fixture.js';
import { ACCOUNT, TOKEN, baseModelOf, hostedProvider, remoteJobCount, startEmulator, type HostedKind } from './emulator-fixture.js';

const values = (run: { result: unknown }) => (run.result as { values: Record<string, any> }).values;
const key = 'a3f1c2d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9';

describe.each(['together', 'fireworks'] as HostedKind[])('%s through the remote stages', (kind) => {
  let server: LocalServer;
  let provider: Provider;
  let workspace: string;
  let trainingFile: string;
  let fileId: string;
  let jobId: string;
  let model: string;

  beforeAll(async () => {
    server = await startEmulator(kind);
    provider = await hostedProvider(kind, server.url);
    workspace = tempWorkspace();
    trainingFile = writeTrainingFile(workspace, 40);
  });
  afterAll(() => server.close());

  it('uploads once per content; the same bytes under another name are reused', async () => {
    const first = await runStage(upload, { params: { input: trainingFile }, provider });
    fileId = values(first).file_id;
    expect(fileId).toMatch(kind === 'together' ? /^file-/ : /^ftpipe-[0-9a-f]{40}$/);
    const copy = join(workspace, 'copy.jsonl');
    writeFileSync(copy, readFileSync(trainingFile));
    const again = await runStage(upload, { params: { input: copy }, provider });
    expect(values(again).file_id).toBe(fileId);
    expect(await provider.listFiles({ purpose: 'fine-tune' })).toHaveLength(1);
  });

  it('creates one job when the create response is lost, and a rerun without state adopts it', async () => {
    const route = kind === 'together' ? 'POST /v1/fine-tunes' : `POST /v1/accounts/${ACCOUNT}/supervisedFineTuningJobs`;
    const proxy = await startLossyProxy(server.url, { route, times: 1 });
    try {
      const lossy = await hostedProvider(kind, proxy.url);
      const run = await runStage(train, { params: { model: baseModelOf(kind), training_file: fileId, n_epochs: 3, batch_size: 4, learning_rate_multiplier: 2, suffix: 'apache', seed: 7 }, provider: lossy, key });
      expect(proxy.lost()).toBe(1);
      jobId = values(run).job_id;
      expect(await remoteJobCount(kind, server.url)).toBe(1);
    } finally {
      await proxy.close();
    }
    const rerun = await runStage(train, { params: { model: baseModelOf(kind), training_file: fileId, n_epochs: 3, batch_size: 4, learning_rate_multiplier: 2, suffix: 'apache', seed: 7 }, provider, key });
    expect(values(rerun).job_id).toBe(jobId);
    expect(rerun.logs.map((l) => l.message).join('\n')).toMatch(/adopted/);
    expect(await remoteJobCount(kind, server.url)).toBe(1);
  });

  it('waits for the job and publishes its metrics and events', async () => {
    const run = await runStage(wait, { params: { job_id: jobId, poll_interval_ms: 30, max_poll_interval_ms: 100 }, provider });
    expect(values(run)).toMatchObject({ status: 'succeeded', job_id: jobId });
    model = values(run).fine_tuned_model;
    expect(model).toMatch(kind === 'together' ? /^local-user\/Meta-Llama-3\.1-8B-Instruct-Reference-apache-ftp[0-9a-f]{24}-[0-9a-f]{8}$/ : new RegExp(`^accounts/${ACCOUNT}/models/apache-[0-9a-f]{12}$`));
    const metrics = await parseMetricsCsv(readFileSync(run.outputs.metrics));
    expect(metrics.length).toBeGreaterThan(3);
    expect(metrics[0]).toMatchObject({ step: 1, train_loss: expect.any(Number) });
    expect(readFileSync(run.outputs.events, 'utf8').trim().split('\n').length).toBeGreaterThan(1);
  });

  it('infers with the fine-tune (Fireworks deploys it first, and teardown deletes the deployment)', async () => {
    const run = await runStage(infer, { params: { model, input: trainingFile, max_tokens: 5, temperature: 0, concurrency: 4, teardown: true }, provider });
    const rows = readFileSync(run.outputs.data, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(40);
    expect(rows.filter((r) => r.completion.trim() === r.expected).length).toBeGreaterThanOrEqual(30);
    const logs = run.logs.map((l) => l.message).join('\n');
    if (kind === 'fireworks') {
      expect(logs).toMatch(new RegExp(`deployment ${model}#accounts/${ACCOUNT}/deployments/ftpipe-[0-9a-f]{16} serves`));
      const deployments = await (await fetch(`${server.url}/v1/accounts/${ACCOUNT}/deployments`, { headers: { authorization: `Bearer ${TOKEN}` } })).json();
      expect(deployments.deployments).toEqual([]); // torn down
    }
    const single = await runStage(infer, { params: { model, sys_prompt: sysPrompt, user_input: 'mod_jk child workerEnv in error state 6', temperature: 0 }, provider });
    expect(values(single).completion).toBe('error');
  });
});
