/** State survives restarts; a job the process was running when it died is retrained on the next start. */
import { describe, expect, it } from 'vitest';
import { createReadStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import OpenAI from 'openai';
import { startTestServer, waitForJob } from './helpers/local-server.js';
import { logSourceExamples, writeJsonl } from './helpers/loghub-examples.js';

const dir = mkdtempSync(join(tmpdir(), 'ftpipe-local-persist-'));
const question = [
  { role: 'system' as const, content: 'Name the system that wrote this log line.' },
  { role: 'user' as const, content: 'session opened for user root by (uid=0)' },
];

describe('persistence', () => {
  it('keeps files, jobs and models across a clean restart', async () => {
    const dataDir = join(dir, 'clean');
    const first = await startTestServer({ dataDir });
    const file = await first.client.files.create({ file: createReadStream(writeJsonl(join(dir, 'a.jsonl'), logSourceExamples({ perSystem: 10 }))), purpose: 'fine-tune' });
    const job = await waitForJob(first.client, (await first.client.fineTuning.jobs.create({ model: 'gpt-4o-mini', training_file: file.id, seed: 3, hyperparameters: { n_epochs: 2, batch_size: 4 } })).id);
    const answer = await first.client.chat.completions.create({ model: job.fine_tuned_model!, messages: question, temperature: 0 });
    await first.server.close();

    const second = await startTestServer({ dataDir });
    expect(second.server.url).not.toBe('');
    expect((await second.client.files.retrieve(file.id)).bytes).toBe(file.bytes);
    expect(await second.client.fineTuning.jobs.retrieve(job.id)).toEqual(job);
    expect((await second.client.fineTuning.jobs.listEvents(job.id, { limit: 100 })).data.length).toBeGreaterThan(10);
    const again = await second.client.chat.completions.create({ model: job.fine_tuned_model!, messages: question, temperature: 0 });
    expect(again.choices[0].message.content).toBe(answer.choices[0].message.content);
    await second.server.close();
  });

  it('retrains a job whose server was killed mid-training, deterministically', async () => {
    const dataDir = join(dir, 'killed');
    const child = execa('node_modules/.bin/vite-node', ['test/local/helpers/serve-child.ts', dataDir, '40'], { cwd: join(import.meta.dirname, '../..'), buffer: false, reject: false });
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        const match = /URL (\S+)/.exec(chunk.toString());
        if (match) resolve(match[1]);
      });
      child.once('exit', () => reject(new Error('child server exited early')));
    });
    const client = new OpenAI({ baseURL: url, apiKey: 'local' });
    const file = await client.files.create({ file: createReadStream(writeJsonl(join(dir, 'b.jsonl'), logSourceExamples({ perSystem: 10 }))), purpose: 'fine-tune' });
    const created = await client.fineTuning.jobs.create({ model: 'gpt-4o-mini', training_file: file.id, seed: 11, method: { type: 'supervised', supervised: { hyperparameters: { n_epochs: 2, batch_size: 4 } } } });
    let seenBeforeKill: OpenAI.FineTuning.FineTuningJobEvent[] = [];
    for (;;) {
      seenBeforeKill = (await client.fineTuning.jobs.listEvents(created.id, { limit: 100 })).data;
      if (seenBeforeKill.filter((e) => e.type === 'metrics').length >= 3) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect((await client.fineTuning.jobs.retrieve(created.id)).status).toBe('running');
    child.kill('SIGKILL');
    await child;

    const restarted = await startTestServer({ dataDir });
    expect(restarted.logs.some((line) => line.includes(`resuming job ${created.id}`))).toBe(true);
    const job = await waitForJob(restarted.client, created.id);
    expect(job).toMatchObject({ status: 'succeeded', seed: 11 });
    const events = (await restarted.client.fineTuning.jobs.listEvents(created.id, { limit: 100 })).data;
    expect(events.filter((e) => e.type === 'metrics')).toHaveLength(30); // 60 examples / 4 × 2 epochs, no duplicates
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    // The retrain repeats the same steps: the events seen before the kill are still there, same ids and losses.
    const byId = new Map(events.map((e) => [e.id, e]));
    for (const old of seenBeforeKill.filter((e) => e.type === 'metrics')) expect(byId.get(old.id)?.data).toEqual(old.data);
    await restarted.server.close();
  });
});
