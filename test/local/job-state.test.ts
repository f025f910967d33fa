/**
 * The local provider's job states tell the truth: "succeeded" is the last thing written (a client that
 * sees it already sees every event); a job cancelled while its files validate ends cancelled; a job
 * whose training file was deleted fails after a restart instead of validating forever.
 */
import { describe, expect, it } from 'vitest';
import { createReadStream, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, waitForJob } from './helpers/local-server.js';
import { logSourceExamples, writeJsonl } from './helpers/loghub-examples.js';

const dir = mkdtempSync(join(tmpdir(), 'ftpipe-job-state-'));
const trainPath = writeJsonl(join(dir, 'train.jsonl'), logSourceExamples({ perSystem: 6 }));

describe('job states', () => {
  it('shows "succeeded" only once every event of the job is there', async () => {
    const t = await startTestServer();
    try {
      const file = await t.client.files.create({ file: createReadStream(trainPath), purpose: 'fine-tune' });
      for (let i = 0; i < 4; i++) {
        const job = await t.client.fineTuning.jobs.create({ model: 'gpt-4o-mini', training_file: file.id, seed: i, hyperparameters: { n_epochs: 1 } });
        // Poll as tightly as a client can; the events read right after "succeeded" must be complete.
        let status = job.status;
        while (status !== 'succeeded' && status !== 'failed') status = (await t.client.fineTuning.jobs.retrieve(job.id)).status;
        expect(status).toBe('succeeded');
        const events = (await t.client.fineTuning.jobs.listEvents(job.id, { limit: 100 })).data;
        expect(events[0].message).toBe('The job has successfully completed');
        expect(events[1].message).toBe('New fine-tuned model created');
      }
    } finally {
      await t.server.close();
    }
  });

  it('ends a job cancelled while its files validate as cancelled, also when the file turns out bad', async () => {
    const dataDir = join(dir, 'cancel-validating');
    // Many good lines, then a bad one: validation takes a while and would end in a failure.
    const some = logSourceExamples({ perSystem: 100 }).map((e) => JSON.stringify(e));
    const lines = Array.from({ length: 10 }, () => some).flat();
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, `${lines.join('\n')}\n{"messages": [{"role": "nobody", "content": "x"}]}\n`);
    const t = await startTestServer({ dataDir });
    const file = await t.client.files.create({ file: createReadStream(bad), purpose: 'fine-tune' });
    const job = await t.client.fineTuning.jobs.create({ model: 'gpt-4o-mini', training_file: file.id });
    expect(job.status).toBe('validating_files');
    expect((await t.client.fineTuning.jobs.cancel(job.id)).status).toBe('cancelled');
    // Closing waits for the job's work to end: whatever it would have written is written by then.
    await t.server.close();
    const again = await startTestServer({ dataDir });
    try {
      const after = await again.client.fineTuning.jobs.retrieve(job.id);
      expect(after).toMatchObject({ status: 'cancelled', error: null, fine_tuned_model: null });
      const events = (await again.client.fineTuning.jobs.listEvents(job.id, { limit: 100 })).data;
      expect(events[0].message).toBe('Fine-tuning job cancelled');
      expect(events.filter((e) => e.level === 'error')).toEqual([]);
    } finally {
      await again.server.close();
    }
  });

  it('fails a job whose training file was deleted, once the server restarts', async () => {
    const dataDir = join(dir, 'deleted-file');
    const t = await startTestServer({ dataDir, faults: { stepDelayMs: 50 } });
    const file = await t.client.files.create({ file: createReadStream(trainPath), purpose: 'fine-tune' });
    const job = await t.client.fineTuning.jobs.create({ model: 'gpt-4o-mini', training_file: file.id });
    await expect.poll(async () => (await t.client.fineTuning.jobs.retrieve(job.id)).status, { timeout: 30_000 }).toBe('running');
    await t.client.files.delete(file.id);
    await t.server.close(); // the job is unfinished: it is retrained on the next start

    const restarted = await startTestServer({ dataDir });
    try {
      const failed = await waitForJob(restarted.client, job.id, 30_000);
      expect(failed.status).toBe('failed');
      expect(failed.error).toMatchObject({ code: 'invalid_training_file', param: 'training_file' });
      expect(failed.error!.message).toContain('deleted');
      expect(restarted.logs.filter((line) => line.includes('internal error'))).toEqual([]);
    } finally {
      await restarted.server.close();
    }
  });
});
