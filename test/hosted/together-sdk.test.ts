/**
 * The official together-ai SDK, unmodified, against `ftpipe serve --flavor together`'s routes over real
 * HTTP: upload (POST /files/upload through the SDK client; its client-side file check), fine-tune,
 * events, metrics, checkpoints, download, price estimate, serverless chat, a dedicated endpoint, errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createRequire } from 'node:module';
import type TogetherType from 'together-ai';
import type { FileResponse } from 'together-ai/resources/files';
import { startLocalServer, type LocalServer } from '../../src/local/server.js';
import { logSourceExamples, writeJsonl } from '../local/helpers/loghub-examples.js';

const dir = mkdtempSync(join(tmpdir(), 'ftpipe-together-sdk-'));
const base = 'meta-llama/Meta-Llama-3.1-8B-Instruct-Reference';
let server: LocalServer;
let client: TogetherType;
let Together: typeof TogetherType;

beforeAll(async () => {
  server = await startLocalServer({ dataDir: join(dir, 'state'), token: 'sdk-token', flavor: 'together', flavorOptions: { creditLimitUsd: 5 } });
  ({ default: Together } = await import('together-ai'));
  client = new Together({ apiKey: 'sdk-token', baseURL: server.url, maxRetries: 0 });
});
afterAll(() => server.close());

/** Together's documented upload (multipart POST /files/upload), sent by the SDK's own client. */
function upload(path: string) {
  const form = new FormData();
  form.set('purpose', 'fine-tune');
  form.set('file_name', basename(path));
  form.set('file', new Blob([readFileSync(path)]), basename(path));
  return client.post<FileResponse>('/files/upload', { body: form });
}

// The SDK's file check works from its CommonJS build (the ESM build's node imports are require() calls).
const { checkFile } = createRequire(import.meta.url)('together-ai/lib/check-file') as typeof import('together-ai/lib/check-file');

/** A chat example without its answer, typed as the SDK's messages. */
const prompt = (messages: Array<{ role: string; content: string }>) => messages.slice(0, -1) as Parameters<TogetherType['chat']['completions']['create']>[0]['messages'];

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the together-ai SDK against the Together emulator', () => {
  let fileId: string;
  let jobId: string;
  let outputName: string;

  it('uploads to /files/upload and the file passes Together-style validation', async () => {
    const path = writeJsonl(join(dir, 'train.jsonl'), logSourceExamples({ perSystem: 20 }));
    expect((await checkFile(path, 'fine-tune')).is_check_passed).toBe(true);
    const uploaded = await upload(path);
    fileId = uploaded.id;
    expect(uploaded).toMatchObject({ object: 'file', purpose: 'fine-tune', filename: 'train.jsonl', FileType: 'jsonl' });
    const validated = await until(() => client.files.retrieve(fileId), (f) => f.processing_status !== 'PENDING');
    expect(validated.processing_status).toBe('COMPLETED');
    expect(validated.validation_report).toMatchObject({ valid: true, dataset_format: 'CONVERSATION', nlines: 120 });
    expect((await client.files.list()).data.map((f) => f.id)).toContain(fileId);
    expect(await (await client.files.content(fileId)).text()).toContain('"role":"assistant"');
  });

  it('estimates the price, and says a job above the credit limit may not proceed', async () => {
    const estimate = await client.fineTuning.estimatePrice({ training_file: fileId, model: base, n_epochs: 2 });
    expect(estimate).toMatchObject({ estimation_available: true, allowed_to_proceed: true, estimated_train_token_count: expect.any(Number) });
    const huge = await client.fineTuning.estimatePrice({ training_file: fileId, model: 'meta-llama/Meta-Llama-3.1-70B-Instruct-Reference', n_epochs: 20000 });
    expect(huge).toMatchObject({ estimation_available: true, allowed_to_proceed: false, user_limit: 5 });
  });

  it('fine-tunes with LoRA and follows the job through Together\'s states to completion', async () => {
    const created = await client.fineTuning.create({ model: base, training_file: fileId, n_epochs: 3, batch_size: 8, learning_rate: 2e-5, suffix: 'logs', random_seed: 7, n_checkpoints: 2, training_type: { type: 'Lora', lora_r: 8, lora_alpha: 16 } });
    jobId = created.id;
    expect(jobId).toMatch(/^ft-[0-9a-f-]{36}$/);
    expect(created).toMatchObject({ status: 'pending', model: base, n_epochs: 3, suffix: 'logs', training_type: { type: 'Lora', lora_r: 8 } });
    const done = await until(() => client.fineTuning.retrieve(jobId), (j) => ['completed', 'error', 'cancelled'].includes(j.status));
    expect(done.status).toBe('completed');
    outputName = done.model_output_name!;
    expect(outputName).toMatch(/^local-user\/Meta-Llama-3\.1-8B-Instruct-Reference-logs-[0-9a-f]{8}$/);
    expect((await client.fineTuning.list()).data.map((j) => j.id)).toContain(jobId);
    const events = (await client.fineTuning.listEvents(jobId)).data;
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['job_pending', 'training_start', 'checkpoint_save']));
    const { metrics } = await client.fineTuning.listMetrics(jobId);
    expect(metrics!.length).toBeGreaterThan(2);
    expect(metrics![0]).toMatchObject({ global_step: 1, train_loss: expect.any(Number) });
    const checkpoints = (await client.fineTuning.listCheckpoints(jobId)).data;
    expect(checkpoints[0]).toMatchObject({ checkpoint_type: 'Final', path: outputName });
    expect(checkpoints).toHaveLength(3); // final + the last n_checkpoints
    const archive = await client.fineTuning.content({ ft_id: jobId });
    expect(JSON.parse(await archive.text())).toMatchObject({ base, body: { kind: 'classifier' } });
  });

  it('chats with the fine-tune serverless (its base supports serverless LoRA), and with the base', async () => {
    const hdfs = logSourceExamples({ systems: ['HDFS'], perSystem: 1 })[0]; // a line it was trained on
    const answer = await client.chat.completions.create({ model: outputName, messages: prompt(hdfs.messages), temperature: 0, max_tokens: 8 });
    expect(answer.choices[0].message?.content).toBe('HDFS');
    const untrained = await client.chat.completions.create({ model: base, messages: prompt(hdfs.messages) });
    expect(untrained.choices[0].message?.content).toContain('untrained');
    expect((await client.models.list()).map((m) => m.id)).toEqual(expect.arrayContaining([base, outputName]));
  });

  it('serves the fine-tune from a dedicated endpoint: create, start, chat, stop, delete', async () => {
    const hardware = (await client.endpoints.listHardware({ model: outputName })).data;
    expect(hardware[0]).toMatchObject({ id: expect.any(String), pricing: { cents_per_minute: expect.any(Number) } });
    const endpoint = await client.endpoints.create({ model: outputName, hardware: hardware[0].id, autoscaling: { min_replicas: 1, max_replicas: 1 }, display_name: 'logs' });
    expect(endpoint.state).toBe('PENDING');
    const started = await until(() => client.endpoints.retrieve(endpoint.id), (e) => e.state === 'STARTED');
    const question = prompt(logSourceExamples({ systems: ['OpenSSH'], perSystem: 1 })[0].messages);
    const answer = await client.chat.completions.create({ model: started.name, messages: question, temperature: 0 });
    expect(answer.choices[0].message?.content).toBe('OpenSSH');
    await client.endpoints.update(endpoint.id, { state: 'STOPPED' });
    await expect(client.chat.completions.create({ model: started.name, messages: question })).rejects.toMatchObject({ status: 400, message: expect.stringContaining('STOPPED') });
    await client.endpoints.delete(endpoint.id);
    await expect(client.endpoints.retrieve(endpoint.id)).rejects.toBeInstanceOf(Together.NotFoundError);
  });

  it('answers mistakes the way Together does: unsupported model, invalid file, cancel of a finished job', async () => {
    await expect(client.fineTuning.create({ model: 'gpt-4o-mini-2024-07-18', training_file: fileId })).rejects.toMatchObject({ status: 400, message: expect.stringContaining('not supported for fine-tuning') });
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"yo"}]}\n{"messages":[{"role":"wizard","content":"x"}]}\n');
    // The SDK's own client-side check refuses it, with the line …
    expect(await checkFile(bad, 'fine-tune')).toMatchObject({ is_check_passed: false, line_number: 2 });
    // … and so does the server's validation.
    const rejected = await upload(bad);
    const report = await until(() => client.files.retrieve(rejected.id), (f) => f.processing_status !== 'PENDING');
    expect(report).toMatchObject({ processing_status: 'INVALID_FORMAT', validation_report: { valid: false, error: expect.stringContaining('line 2') } });
    await expect(client.fineTuning.create({ model: base, training_file: rejected.id })).rejects.toMatchObject({ status: 400, message: expect.stringContaining('failed validation') });
    await expect(client.fineTuning.cancel(jobId)).rejects.toBeInstanceOf(Together.BadRequestError);
    await expect(new Together({ apiKey: 'wrong', baseURL: server.url, maxRetries: 0 }).files.list()).rejects.toBeInstanceOf(Together.AuthenticationError);
  });
});
