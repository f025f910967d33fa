/**
 * One client cannot starve the others: while one client sends the heaviest chat requests the limits
 * allow (n = 128 over a prompt near the context window, several at once), another client's small
 * requests are answered at once — they do not wait for the heavy ones to finish.
 */
import { describe, expect, it } from 'vitest';
import { createReadStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, waitForJob } from './helpers/local-server.js';
import { loghubRows, logSourceExamples, writeJsonl } from './helpers/loghub-examples.js';

describe('fair share', () => {
  it("answers a second client's requests while the first one's heavy requests compute", async () => {
    const t = await startTestServer();
    try {
      const dir = mkdtempSync(join(tmpdir(), 'ftpipe-fair-'));
      const file = await t.client.files.create({ file: createReadStream(writeJsonl(join(dir, 'train.jsonl'), logSourceExamples({ perSystem: 10 }))), purpose: 'fine-tune' });
      const job = await waitForJob(t.client, (await t.client.fineTuning.jobs.create({ model: 'gpt-4o-mini', training_file: file.id, hyperparameters: { n_epochs: 1 } })).id);
      // ~100k tokens of real log lines: under the 128k window, so it is counted and featurised in full.
      const rows = loghubRows('Hadoop').map((r) => r.Content);
      let prompt = '';
      for (let i = 0; prompt.length < 380_000; i++) prompt += rows[i % rows.length] + '\n';
      const heavy = () => t.client.chat.completions.create({ model: job.fine_tuned_model!, n: 128, max_tokens: 16_384, temperature: 1, messages: [{ role: 'user', content: prompt }] });
      let heavyDone = 0;
      const started = performance.now();
      const load = Promise.all(Array.from({ length: 4 }, () => heavy().then(() => heavyDone++)));
      const light: number[] = [];
      let answeredDuringLoad = 0;
      while (heavyDone < 4) {
        const before = performance.now();
        await t.client.models.list();
        light.push(performance.now() - before);
        if (heavyDone < 4) answeredDuringLoad++;
      }
      await load;
      const heavyMs = performance.now() - started;
      const report = `4 heavy requests took ${heavyMs.toFixed(0)} ms; ${answeredDuringLoad} light requests answered meanwhile, slowest ${Math.max(...light).toFixed(0)} ms`;
      console.log(report);
      expect(answeredDuringLoad, report).toBeGreaterThanOrEqual(3);
      expect(Math.max(...light.slice(0, answeredDuringLoad)), report).toBeLessThan(heavyMs / 2);
    } finally {
      await t.server.close();
    }
  });
});
