/**
 * The paid parts of the hosted providers against their emulators: Together's price estimate (and its
 * "may not proceed"), dedicated endpoints and Fireworks deployments made once by name even when the
 * create answer is lost, torn down on request; DPO jobs on preference data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalServer } from '../../src/local/server.js';
import type { Job, Provider } from '../../src/providers/types.js';
import { startSwitchProxy } from './switch-proxy.js';
import { tempWorkspace, writeTrainingFile } from '../remote/local-fixture.js';
import { ACCOUNT, TOKEN, baseModelOf, hostedProvider, startEmulator, together8b, type HostedKind } from './emulator-fixture.js';

const dir = tempWorkspace();
const chat = writeTrainingFile(dir, 30);
const key = (n: number) => `${'c0ffee'.repeat(10)}${n}`;

async function trained(provider: Provider, fileId: string, n: number, method: 'supervised' | 'dpo' = 'supervised'): Promise<Job> {
  let job = await provider.createJob({ model: baseModelOf(provider.identity.kind as HostedKind), trainingFile: fileId, method, hyperparameters: { n_epochs: 2 }, seed: 7, suffix: 'serve', idempotencyKey: key(n) });
  while (!['succeeded', 'failed', 'cancelled'].includes(job.status)) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    job = await provider.getJob(job.id);
  }
  return job;
}

describe('together: price estimates and dedicated endpoints', () => {
  let server: LocalServer;
  let provider: Provider;
  let fileId: string;
  beforeAll(async () => {
    server = await startEmulator('together', { creditLimitUsd: 0.01 });
    provider = await hostedProvider('together', server.url, { serving: 'dedicated' });
    fileId = (await provider.uploadFile(chat, { purpose: 'fine-tune', filename: 'ftpipe-0123-train.jsonl' })).id;
  });
  afterAll(() => server.close());

  it('estimates a job\'s price through Together\'s endpoint, and passes on its "may not proceed"', async () => {
    const small = await provider.estimateJobCost!({ model: together8b, trainingFile: fileId, hyperparameters: { n_epochs: 1 }, idempotencyKey: key(0) });
    expect(small).toEqual({ costUsd: expect.any(Number), allowed: true });
    expect(small.costUsd).toBeGreaterThan(0);
    const big = await provider.estimateJobCost!({ model: together8b, trainingFile: fileId, hyperparameters: { n_epochs: 20 }, idempotencyKey: key(0) });
    expect(big).toEqual({ costUsd: expect.any(Number), allowed: false, reason: 'Together says the job may not proceed (your limit: $0.01)' });
  });

  it('deploys a fine-tune to one endpoint by name, even when the create answer is lost; teardown deletes it', async () => {
    const job = await trained(provider, fileId, 1);
    expect(job.status).toBe('succeeded');
    const proxy = await startSwitchProxy(server.url);
    proxy.set({ kind: 'lose', route: 'POST /v1/endpoints', times: 1 });
    const lossy = await hostedProvider('together', proxy.url, { serving: 'dedicated' });
    const deployment = await lossy.deploy(job.fineTunedModel!);
    expect(proxy.lost()).toBe(1);
    await proxy.close();
    expect(deployment.name).toMatch(/^local-user\/Meta-Llama-3\.1-8B-Instruct-Reference-serve-ftp[0-9a-f]{24}-[0-9a-f]{8}-[0-9a-f]{8}$/);
    expect(await provider.deploy(job.fineTunedModel!)).toEqual(deployment);
    const endpoints = await (await fetch(`${server.url}/endpoints`, { headers: { authorization: `Bearer ${TOKEN}` } })).json();
    expect(endpoints.data).toHaveLength(1);
    expect((await provider.chat({ model: deployment.name, messages: [{ role: 'user', content: 'x' }] })).content).not.toContain('untrained');
    expect(await provider.servingCost!(together8b)).toMatchObject({ usdPerMinute: 0.055 });
    await provider.teardown(deployment);
    expect((await (await fetch(`${server.url}/endpoints`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()).data).toEqual([]);
  });
});

describe.each(['together', 'fireworks'] as HostedKind[])('%s: DPO on preference data', (kind) => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startEmulator(kind);
  });
  afterAll(() => server.close());

  it('trains a DPO job on OpenAI preference JSONL', async () => {
    const provider = await hostedProvider(kind, server.url);
    const lines = Array.from({ length: 12 }, (_, i) => JSON.stringify({ input: { messages: [{ role: 'user', content: `Is line ${i} an error? [error] mod_jk child in error state ${i}` }] }, preferred_output: [{ role: 'assistant', content: 'error' }], non_preferred_output: [{ role: 'assistant', content: 'notice' }] }));
    const path = join(dir, `${kind}-dpo.jsonl`);
    writeFileSync(path, `${lines.join('\n')}\n`);
    const file = await provider.uploadFile(path, { purpose: 'fine-tune' });
    const job = await trained(provider, file.id, 2, 'dpo');
    expect(job).toMatchObject({ status: 'succeeded', fineTunedModel: expect.any(String) });
    if (kind === 'fireworks') expect(job.id).toMatch(/^dpoJobs\/ftpipe-[0-9a-f]{40}$/);
  });
});

describe('fireworks: one deployment per fine-tune', () => {
  it('deploys once even when the create answer is lost, chats through it, and tears it down', async () => {
    const server = await startEmulator('fireworks');
    try {
      const provider = await hostedProvider('fireworks', server.url);
      const fileId = (await provider.uploadFile(chat, { purpose: 'fine-tune' })).id;
      const job = await trained(provider, fileId, 3);
      const proxy = await startSwitchProxy(server.url);
      proxy.set({ kind: 'lose', route: `POST /v1/accounts/${ACCOUNT}/deployments`, times: 1 });
      const deployment = await (await hostedProvider('fireworks', proxy.url)).deploy(job.fineTunedModel!);
      expect(proxy.lost()).toBe(1);
      await proxy.close();
      expect(deployment.name).toBe(`${job.fineTunedModel}#accounts/${ACCOUNT}/deployments/${/ftpipe-[0-9a-f]{16}/.exec(deployment.name)![0]}`);
      // chat with the plain name deploys (finds the same deployment) and answers from it
      const answer = await provider.chat({ model: job.fineTunedModel!, messages: [{ role: 'user', content: 'mod_jk child workerEnv in error state 6' }], temperature: 0 });
      expect(answer.content).toBe('error');
      const list = await (await fetch(`${server.url}/v1/accounts/${ACCOUNT}/deployments`, { headers: { authorization: `Bearer ${TOKEN}` } })).json();
      expect(list.deployments).toHaveLength(1);
      await provider.teardown(deployment);
      expect((await (await fetch(`${server.url}/v1/accounts/${ACCOUNT}/deployments`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()).deployments).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

describe.each(['together', 'fireworks'] as HostedKind[])('%s emulator: the same fault injection as the local provider', (kind) => {
  it('429 and 503 on the vendor\'s own routes are retried, and still make one file and one job', async () => {
    // Route keys are the flavour's route patterns, as `ftpipe serve --fault …,route=` takes them.
    const upload = kind === 'together' ? 'POST /v1/files/upload' : 'POST /v1/accounts/:account/datasets';
    const create = kind === 'together' ? 'POST /v1/fine-tunes' : 'POST /v1/accounts/:account/supervisedFineTuningJobs';
    const server = await startEmulator(kind, {}, { rateLimit: { first: 1, routes: [upload] }, serverError: { first: 2, status: 503, routes: [create] } });
    try {
      const provider = await hostedProvider(kind, server.url);
      const file = await provider.uploadFile(chat, { purpose: 'fine-tune', filename: 'ftpipe-fault-train.jsonl' });
      const job = await provider.createJob({ model: baseModelOf(kind), trainingFile: file.id, hyperparameters: { n_epochs: 1 }, idempotencyKey: key(9) });
      expect(job.id).toBeTruthy();
      expect(server.requestCounts()[upload]).toBe(2);
      expect(server.requestCounts()[create]).toBe(3);
      expect(await provider.listFiles()).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});
