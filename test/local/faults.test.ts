/** Each fault kind, observed through the SDK's own retry behaviour and the server's request counts. */
import { describe, expect, it } from 'vitest';
import { createReadStream, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI, { toFile } from 'openai';
import { startTestServer, waitForJob } from './helpers/local-server.js';
import { logSourceExamples, writeJsonl } from './helpers/loghub-examples.js';
import { parseFaultSpecs } from '../../src/local/fault-spec.js';
import { FtpipeError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'ftpipe-local-faults-'));
const trainPath = writeJsonl(join(dir, 'train.jsonl'), logSourceExamples({ perSystem: 4 }));

describe('fault injection', () => {
  it('429 with retry-after on the first N requests: the SDK retries, exactly one file and one job are created', async () => {
    const t = await startTestServer({ faults: { rateLimit: { first: 2, retryAfterSeconds: 0.01 } } });
    // The SDK retries only replayable bodies: a Buffer-backed file, not a read stream.
    const file = await t.client.files.create({ file: await toFile(readFileSync(trainPath), 'train.jsonl'), purpose: 'fine-tune' });
    expect(file.status).toBe('processed');
    expect(t.server.requestCounts()['POST /v1/files']).toBe(3);
    expect((await t.client.files.list()).data).toHaveLength(1);
    await t.server.close();
    const jobs = await startTestServer({ faults: { rateLimit: { first: 2, retryAfterSeconds: 0.01, routes: ['POST /v1/fine_tuning/jobs'] } } });
    const uploaded = await jobs.client.files.create({ file: createReadStream(trainPath), purpose: 'fine-tune' });
    await jobs.client.fineTuning.jobs.create({ model: 'gpt-4o-mini', training_file: uploaded.id });
    expect(jobs.server.requestCounts()['POST /v1/fine_tuning/jobs']).toBe(3);
    expect((await jobs.client.fineTuning.jobs.list()).data).toHaveLength(1);
    await jobs.server.close();
    const limited = await startTestServer({ faults: { rateLimit: { first: 1, retryAfterSeconds: 2 } } });
    const response = await fetch(`${limited.server.url}/models`);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('2');
    expect((await response.json()).error).toMatchObject({ code: 'rate_limit_exceeded', type: 'requests' });
    await limited.server.close();
  });

  it('429 with a seeded probability fires reproducibly', async () => {
    const statuses = async () => {
      const t = await startTestServer({ faults: { rateLimit: { probability: 0.5 }, seed: 42 } });
      const out: number[] = [];
      for (let i = 0; i < 12; i++) out.push((await fetch(`${t.server.url}/models`)).status);
      await t.server.close();
      return out;
    };
    const first = await statuses();
    expect(first).toEqual(await statuses());
    expect(first.filter((s) => s === 429).length).toBeGreaterThan(1);
    expect(first.filter((s) => s === 200).length).toBeGreaterThan(1);
  });

  it('500 and 503 errors are retried by the SDK; a client without retries sees them', async () => {
    const t = await startTestServer({ faults: { serverError: { first: 1, status: 503 } } });
    const noRetry = new OpenAI({ baseURL: t.server.url, apiKey: 'x', maxRetries: 0 });
    await expect(noRetry.models.list()).rejects.toMatchObject({ status: 503 });
    expect((await t.client.models.list()).data.length).toBeGreaterThan(0);
    await t.server.close();
    const t500 = await startTestServer({ faults: { serverError: { first: 1, routes: ['GET /v1/models'] } } });
    expect((await t500.client.models.list()).data.length).toBeGreaterThan(0);
    expect(t500.server.requestCounts()['GET /v1/models']).toBe(2);
    await t500.server.close();
  });

  it('drops connections mid-request; the SDK reconnects and retries', async () => {
    const t = await startTestServer({ faults: { dropConnection: { first: 1 } } });
    const noRetry = new OpenAI({ baseURL: t.server.url, apiKey: 'x', maxRetries: 0 });
    await expect(noRetry.models.list()).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
    await t.server.close();
    const again = await startTestServer({ faults: { dropConnection: { first: 1 } } });
    expect((await again.client.models.list()).data.length).toBeGreaterThan(0);
    expect(again.server.requestCounts()['GET /v1/models']).toBe(2);
    await again.server.close();
  });

  it('adds latency to every response', async () => {
    const t = await startTestServer({ faults: { latencyMs: 150 } });
    const started = Date.now();
    await t.client.models.list();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    await t.server.close();
  });

  it('fails a job at step N with server_error; a step delay exposes the running state; cancel stops a job', async () => {
    const t = await startTestServer({ faults: { failJobAtStep: 5 } });
    const file = await t.client.files.create({ file: createReadStream(trainPath), purpose: 'fine-tune' });
    const failed = await waitForJob(t.client, (await t.client.fineTuning.jobs.create({ model: 'gpt-4o-mini', training_file: file.id })).id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatchObject({ code: 'server_error', param: null });
    expect(failed.error!.message).toContain('step 5');
    const metrics = (await t.client.fineTuning.jobs.listEvents(failed.id, { limit: 50 })).data.filter((e) => e.type === 'metrics');
    expect(metrics).toHaveLength(4);
    await t.server.close();

    const slow = await startTestServer({ faults: { stepDelayMs: 30 } });
    const slowFile = await slow.client.files.create({ file: createReadStream(trainPath), purpose: 'fine-tune' });
    const job = await slow.client.fineTuning.jobs.create({ model: 'gpt-4o-mini', training_file: slowFile.id });
    let status = job.status;
    while (status !== 'running') status = (await slow.client.fineTuning.jobs.retrieve(job.id)).status;
    const cancelled = await slow.client.fineTuning.jobs.cancel(job.id);
    expect(cancelled.status).toBe('cancelled');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const after = await slow.client.fineTuning.jobs.retrieve(job.id);
    expect(after).toMatchObject({ status: 'cancelled', fine_tuned_model: null });
    expect((await slow.client.fineTuning.jobs.listEvents(job.id)).data[0].message).toBe('Fine-tuning job cancelled');
    await slow.server.close();
  });
});

describe('--fault specs', () => {
  it('parses each kind', () => {
    expect(parseFaultSpecs(['latency=200', '429:first=3,retry-after=2', '503:p=0.1', 'drop:first=1,route=POST /v1/files', 'job-fail-at=5', 'step-delay=50', 'seed=7'])).toEqual({
      latencyMs: 200,
      rateLimit: { first: 3, retryAfterSeconds: 2 },
      serverError: { probability: 0.1, status: 503 },
      dropConnection: { first: 1, routes: ['POST /v1/files'] },
      failJobAtStep: 5,
      stepDelayMs: 50,
      seed: 7,
    });
  });

  it('explains a bad spec', () => {
    expect(() => parseFaultSpecs(['429'])).toThrow(FtpipeError);
    expect(() => parseFaultSpecs(['429:p=2'])).toThrow(/probability "2" must be between 0 and 1/);
    expect(() => parseFaultSpecs(['boom=1'])).toThrow(/unknown fault/);
  });
});

describe('faults: from a recipe', () => {
  it('accepts a valid object and names the bad key otherwise', async () => {
    const { faultConfigFrom } = await import('../../src/local/fault-spec.js');
    expect(faultConfigFrom({ rateLimit: { first: 2 }, stepDelayMs: 10 }, 'provider.faults')).toEqual({ rateLimit: { first: 2 }, stepDelayMs: 10 });
    expect(() => faultConfigFrom({ rateLimit: { frist: 2 } }, 'provider.faults')).toThrow('provider.faults.rateLimit.frist is not an option');
    expect(() => faultConfigFrom({ latency: 5 }, 'provider.faults')).toThrow(/provider.faults.latency is not a fault/);
  });
});
