/** Data problems surface when the job validates its files, as failed jobs with OpenAI's error codes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReadStream, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, waitForJob, type TestServer } from './helpers/local-server.js';
import { chat, logSourceExamples, writeJsonl } from './helpers/loghub-examples.js';

let t: TestServer;
const dir = mkdtempSync(join(tmpdir(), 'ftpipe-local-validation-'));

beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.server.close();
});

async function runJob(path: string, extra: { validation?: string } = {}) {
  const file = await t.client.files.create({ file: createReadStream(path), purpose: 'fine-tune' });
  const validation = extra.validation ? await t.client.files.create({ file: createReadStream(extra.validation), purpose: 'fine-tune' }) : undefined;
  const job = await t.client.fineTuning.jobs.create({ model: 'gpt-4.1-nano', training_file: file.id, validation_file: validation?.id });
  return waitForJob(t.client, job.id);
}

describe('job file validation', () => {
  it('fails a job with too few examples (invalid_n_examples)', async () => {
    const job = await runJob(writeJsonl(join(dir, 'seven.jsonl'), logSourceExamples({ systems: ['HDFS'], perSystem: 7 })));
    expect(job.status).toBe('failed');
    expect(job.error).toEqual({ code: 'invalid_n_examples', message: 'Training file has 7 example(s), but must have at least 10 examples', param: 'training_file' });
    expect(job.fine_tuned_model).toBeNull();
    const events = (await t.client.fineTuning.jobs.listEvents(job.id)).data;
    expect(events[0]).toMatchObject({ level: 'error', message: job.error!.message });
  });

  it('names the example and message of a malformed line (invalid_training_file)', async () => {
    const examples: unknown[] = logSourceExamples({ systems: ['Linux'], perSystem: 12 });
    examples[4] = { messages: [{ role: 'user', content: 'x' }, { role: 'robot', content: 'y' }] };
    const job = await runJob(writeJsonl(join(dir, 'bad-role.jsonl'), examples));
    expect(job.error).toMatchObject({ code: 'invalid_training_file', param: 'training_file' });
    expect(job.error!.message).toMatch(/^Invalid file format\. Example 5, message 2: invalid role "robot"/);
  });

  it('reports a line that is not JSON, and an example without an assistant answer', async () => {
    const lines = logSourceExamples({ systems: ['Apache'], perSystem: 11 }).map((e) => JSON.stringify(e));
    lines[2] = '{"messages": [';
    const notJson = join(dir, 'not-json.jsonl');
    writeFileSync(notJson, lines.join('\n'));
    expect((await runJob(notJson)).error!.message).toBe('Invalid file format. Example 3 (line 3) is not valid JSON.');
    const noAnswer = logSourceExamples({ systems: ['Apache'], perSystem: 11 }) as unknown[];
    noAnswer[10] = { messages: [{ role: 'user', content: 'only a question' }] };
    expect((await runJob(writeJsonl(join(dir, 'no-answer.jsonl'), noAnswer))).error!.message).toBe('Invalid file format. Example 11: has no assistant messages.');
  });

  it('validates the validation file too (invalid_validation_file)', async () => {
    const train = writeJsonl(join(dir, 'ok.jsonl'), logSourceExamples({ systems: ['HDFS', 'BGL'], perSystem: 6 }));
    const valid = writeJsonl(join(dir, 'bad-valid.jsonl'), [chat('s', 'u', 'a'), { messages: [{ role: 'assistant', content: 5 }] }]);
    const job = await runJob(train, { validation: valid });
    expect(job.error).toMatchObject({ code: 'invalid_validation_file', param: 'validation_file' });
    expect(job.error!.message).toContain('Example 2, message 1: content must be a string');
  });

  it('refuses bad hyperparameters at creation with a 400', async () => {
    const file = await t.client.files.create({ file: createReadStream(join(dir, 'ok.jsonl')), purpose: 'fine-tune' });
    const error = await t.client.fineTuning.jobs
      .create({ model: 'gpt-4.1-nano', training_file: file.id, method: { type: 'supervised', supervised: { hyperparameters: { n_epochs: 0 } } } })
      .catch((e) => e);
    expect(error).toMatchObject({ status: 400, param: 'hyperparameters.n_epochs' });
  });

  it('resolves "auto" hyperparameters from the example count and bills tokens per epoch', async () => {
    const job = await runJob(join(dir, 'ok.jsonl'));
    expect(job.status).toBe('succeeded');
    // 12 examples: 12 × 3 < 100 → min(25, 100 // 12) = 8 epochs; batch round(0.024) → 1
    expect(job.hyperparameters).toEqual({ n_epochs: 8, batch_size: 1, learning_rate_multiplier: 1.8 });
    expect(job.trained_tokens! % 8).toBe(0);
  });
});
