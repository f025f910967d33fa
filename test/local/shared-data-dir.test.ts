/**
 * Two servers on one data folder (`ftpipe serve` and a `ftpipe infer`, the studio's playground and a run):
 * the second does not "resume" — retrain and rewrite the events of — the job the first one is training;
 * the first finishes it with one consistent history. A dead server's marker does not count.
 */
import { describe, expect, it } from 'vitest';
import { createReadStream, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, waitForJob } from './helpers/local-server.js';
import { logSourceExamples, writeJsonl } from './helpers/loghub-examples.js';

describe('a data folder shared by two servers', () => {
  it('leaves the running job to the server that trains it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ftpipe-shared-dir-'));
    const first = await startTestServer({ dataDir, faults: { stepDelayMs: 20 } });
    const file = await first.client.files.create({ file: createReadStream(writeJsonl(join(dataDir, '..', `${Date.now()}-train.jsonl`), logSourceExamples({ perSystem: 6 }))), purpose: 'fine-tune' });
    const created = await first.client.fineTuning.jobs.create({ model: 'gpt-4o-mini', training_file: file.id, seed: 5, hyperparameters: { n_epochs: 2 } });
    await expect.poll(async () => (await first.client.fineTuning.jobs.retrieve(created.id)).status, { timeout: 30_000 }).toBe('running');

    const second = await startTestServer({ dataDir });
    expect(second.logs.some((line) => line.includes('resuming job'))).toBe(false);
    expect(second.logs.some((line) => line.includes(`also served by process ${process.pid}`))).toBe(true);
    expect((await second.client.models.list()).data.length).toBeGreaterThan(0);
    await second.server.close();

    const job = await waitForJob(first.client, created.id, 60_000);
    expect(job.status).toBe('succeeded');
    const events = (await first.client.fineTuning.jobs.listEvents(job.id, { limit: 1000 })).data.reverse();
    expect(events.filter((e) => e.message.startsWith('Created fine-tuning job'))).toHaveLength(1);
    const steps = events.filter((e) => e.type === 'metrics').map((e) => (e.data as { step: number }).step);
    expect(steps).toEqual(steps.map((_, i) => i + 1));
    await first.server.close();
  });

  it('does not count the marker of a server that died', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ftpipe-shared-dir-'));
    mkdirSync(join(dataDir, 'servers'));
    writeFileSync(join(dataDir, 'servers', '2147483646.0'), 'dead');
    const t = await startTestServer({ dataDir });
    expect(t.logs.some((line) => line.includes('also served by'))).toBe(false);
    await t.server.close();
  });
});
