/** The official openai SDK against the real local server over HTTP: upload → job → poll → chat. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReadStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type OpenAI from 'openai';
import { startTestServer, waitForJob, type TestServer } from './helpers/local-server.js';
import { logSourceExamples, writeJsonl } from './helpers/loghub-examples.js';
import { expectSchema } from './helpers/openapi-schema.js';
import { baseModelAnswer } from '../../src/local/chat/answer.js';

let t: TestServer;
let job: OpenAI.FineTuning.FineTuningJob;
let trainingFile: OpenAI.FileObject;
const dir = mkdtempSync(join(tmpdir(), 'ftpipe-local-e2e-'));

beforeAll(async () => {
  t = await startTestServer();
  const train = writeJsonl(join(dir, 'train.jsonl'), logSourceExamples({ perSystem: 20 }));
  const valid = writeJsonl(join(dir, 'valid.jsonl'), logSourceExamples({ perSystem: 5, offset: 3 }));
  trainingFile = await t.client.files.create({ file: createReadStream(train), purpose: 'fine-tune' });
  const validationFile = await t.client.files.create({ file: createReadStream(valid), purpose: 'fine-tune' });
  const created = await t.client.fineTuning.jobs.create({
    model: 'gpt-4o-mini-2024-07-18',
    training_file: trainingFile.id,
    validation_file: validationFile.id,
    suffix: 'logs',
    seed: 7,
    metadata: { ftpipe_key: 'abc123' },
    method: { type: 'supervised', supervised: { hyperparameters: { n_epochs: 2, batch_size: 8 } } },
  });
  expectSchema('FineTuningJob', created);
  expect(created.status).toBe('validating_files');
  job = await waitForJob(t.client, created.id);
});

afterAll(async () => {
  await t.server.close();
});

describe('fine-tuning through the SDK', () => {
  it('succeeds with a named model, resolved hyperparameters and billed tokens', () => {
    expect(job.status).toBe('succeeded');
    expectSchema('FineTuningJob', job);
    expect(job.fine_tuned_model).toBe(`ft:gpt-4o-mini-2024-07-18:local:logs:${job.id.slice(6, 14)}`);
    expect(job.hyperparameters).toEqual({ n_epochs: 2, batch_size: 8, learning_rate_multiplier: 1.8 });
    expect(job.trained_tokens).toBeGreaterThan(120 * 2 * 10);
    expect(job.error).toBeNull();
  });

  it('files validate against the schema and serve their content', async () => {
    expectSchema('OpenAIFile', trainingFile);
    expect(trainingFile).toMatchObject({ purpose: 'fine-tune', status: 'processed', filename: 'train.jsonl' });
    const list = await (await fetch(`${t.server.url}/files?purpose=fine-tune`)).json();
    expectSchema('ListFilesResponse', list);
    expect(list.data.map((f: { id: string }) => f.id)).toContain(trainingFile.id);
    expect((await t.client.files.list({ purpose: 'fine-tune' })).data).toHaveLength(2);
    const text = await (await t.client.files.content(trainingFile.id)).text();
    expect(text.split('\n')[0]).toContain('Name the system');
  });

  it('lists events newest first in OpenAI order, paginated with after/limit', async () => {
    const all: OpenAI.FineTuning.FineTuningJobEvent[] = [];
    for await (const event of t.client.fineTuning.jobs.listEvents(job.id, { limit: 7 })) all.push(event);
    for (const event of all.slice(0, 3)) expectSchema('FineTuningJobEvent', event);
    const messages = all.map((e) => e.message).reverse();
    expect(messages.slice(0, 5)).toEqual([
      `Created fine-tuning job: ${job.id}`,
      `Validating training file: ${job.training_file}`,
      `Validating validation file: ${job.validation_file}`,
      'Files validated, moving job to queued state',
      'Fine-tuning job started',
    ]);
    expect(messages.slice(-2)).toEqual(['New fine-tuned model created', 'The job has successfully completed']);
    const metrics = all.filter((e) => e.type === 'metrics').reverse();
    expect(metrics).toHaveLength(2 * 15); // 120 examples / batch 8 = 15 steps per epoch
    expect(metrics[0].message).toMatch(/^Step 1\/30: training loss=\d/);
    expect(metrics[0].data).toMatchObject({ step: 1, total_steps: 30 });
    expect(Object.keys(metrics[0].data as object).sort()).toEqual(['step', 'total_steps', 'train_loss', 'train_mean_token_accuracy', 'valid_loss', 'valid_mean_token_accuracy']);
    expect(messages).toContain('Checkpoint created at step 15');
    const page = await t.client.fineTuning.jobs.listEvents(job.id, { limit: 5 });
    expectSchema('ListFineTuningJobEventsResponse', { object: 'list', data: page.data, has_more: page.has_more });
    expect(page.has_more).toBe(true);
    const next = await t.client.fineTuning.jobs.listEvents(job.id, { limit: 5, after: page.data[4].id });
    expect(next.data[0].id).toBe(all[5].id);
  });

  it('has one checkpoint per epoch, usable for chat', async () => {
    const page = await t.client.fineTuning.jobs.checkpoints.list(job.id);
    for (const checkpoint of page.data) expectSchema('FineTuningJobCheckpoint', checkpoint);
    expect(page.data.map((c) => c.step_number)).toEqual([30, 15]);
    expect(page.data[1].fine_tuned_model_checkpoint).toBe(`${job.fine_tuned_model}:ckpt-step-15`);
    expect(page.data[0].metrics.full_valid_mean_token_accuracy).toBeGreaterThan(0.5);
    const reply = await t.client.chat.completions.create({ model: page.data[1].fine_tuned_model_checkpoint, messages: [{ role: 'user', content: 'x' }] });
    expect(reply.model).toBe(page.data[1].fine_tuned_model_checkpoint);
  });

  it('writes a base64-encoded metrics CSV result file', async () => {
    const [resultId] = job.result_files;
    const meta = await t.client.files.retrieve(resultId);
    expect(meta).toMatchObject({ purpose: 'fine-tune-results', filename: 'step_metrics.csv' });
    const raw = await (await t.client.files.content(resultId)).text();
    const csv = Buffer.from(raw, 'base64').toString('utf8');
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy');
    expect(lines).toHaveLength(31);
    expect(lines[1]).toMatch(/^1,[\d.]+,[\d.]+,[\d.]+,[\d.]+$/);
  });

  it('finds jobs by metadata and paginates the job list', async () => {
    const found = await t.client.fineTuning.jobs.list({ metadata: { ftpipe_key: 'abc123' } });
    expectSchema('ListPaginatedFineTuningJobsResponse', { object: 'list', data: found.data, has_more: found.has_more });
    expect(found.data.map((j) => j.id)).toEqual([job.id]);
    expect((await t.client.fineTuning.jobs.list({ metadata: { ftpipe_key: 'other' } })).data).toEqual([]);
  });

  it('answers with the fine-tuned model and, honestly, not with the base model', async () => {
    const messages = [
      { role: 'system' as const, content: 'Name the system that wrote this log line.' },
      { role: 'user' as const, content: 'Receiving block blk_-1608999687919862906 src: /10.250.19.102:54106 dest: /10.250.19.102:50010' },
    ];
    const tuned = await t.client.chat.completions.create({ model: job.fine_tuned_model!, messages, temperature: 0 });
    expectSchema('CreateChatCompletionResponse', tuned);
    expect(tuned.choices[0].message.content).toBe('HDFS');
    expect(tuned.usage!.prompt_tokens).toBeGreaterThan(20);
    expect(tuned.usage!.completion_tokens).toBe(tuned.usage!.total_tokens - tuned.usage!.prompt_tokens);
    const base = await t.client.chat.completions.create({ model: 'gpt-4o-mini-2024-07-18', messages });
    expect(base.choices[0].message.content).toBe(baseModelAnswer('gpt-4o-mini-2024-07-18'));
    const short = await t.client.chat.completions.create({ model: 'gpt-4o-mini-2024-07-18', messages, max_tokens: 3 });
    expect(short.choices[0].finish_reason).toBe('length');
    expect(short.usage!.completion_tokens).toBe(3);
    expect(base.choices[0].message.content!.startsWith(short.choices[0].message.content!)).toBe(true);
  });

  it('streams chat completions as server-sent events, with usage', async () => {
    const stream = await t.client.chat.completions.create({
      model: 'gpt-4o-mini-2024-07-18',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined;
    let finish: string | null = null;
    for await (const chunk of stream) {
      expectSchema('CreateChatCompletionStreamResponse', chunk);
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe(baseModelAnswer('gpt-4o-mini-2024-07-18'));
    expect(finish).toBe('stop');
    expect(usage!.completion_tokens).toBeGreaterThan(5);
  });

  it('lists base models with shutdown dates and fine-tuned models; deletes only fine-tuned ones', async () => {
    const models = await t.client.models.list();
    expectSchema('ListModelsResponse', { object: 'list', data: models.data });
    const ids = models.data.map((m) => m.id);
    expect(ids).toContain(job.fine_tuned_model);
    expect(ids.some((id) => id.includes(':ckpt-step-'))).toBe(false);
    const base = await t.client.models.retrieve('gpt-4o-mini-2024-07-18');
    expectSchema('Model', base);
    expect((base as unknown as { shutdown_date: string }).shutdown_date).toBe('2027-01-14');
    await expect(t.client.models.delete('gpt-4o-mini-2024-07-18')).rejects.toMatchObject({ status: 403 });
    const deleted = await t.client.models.delete(job.fine_tuned_model!);
    expectSchema('DeleteModelResponse', deleted);
    await expect(t.client.models.retrieve(job.fine_tuned_model!)).rejects.toMatchObject({ status: 404, code: 'model_not_found' });
  });

  it('returns OpenAI error objects for unknown things', async () => {
    const error = await t.client.fineTuning.jobs.retrieve('ftjob-nope').catch((e) => e);
    expect(error.status).toBe(404);
    expectSchema('ErrorResponse', { error: error.error });
    const bad = await t.client.fineTuning.jobs.create({ model: 'gpt-4', training_file: trainingFile.id }).catch((e) => e);
    expect(bad).toMatchObject({ status: 400, code: 'model_not_available', param: 'model' });
    const noFile = await t.client.fineTuning.jobs.create({ model: 'gpt-4o-mini', training_file: 'file-missing' }).catch((e) => e);
    expect(noFile).toMatchObject({ status: 400, param: 'training_file' });
    const cancel = await t.client.fineTuning.jobs.cancel(job.id).catch((e) => e);
    expect(cancel.status).toBe(400);
  });

  it('deletes files', async () => {
    const result = await t.client.files.delete(trainingFile.id);
    expectSchema('DeleteFileResponse', result);
    await expect(t.client.files.retrieve(trainingFile.id)).rejects.toMatchObject({ status: 404 });
  });
});
