/**
 * One huge line in a training file (here 40 MB, past the 32 MiB bound the data stages use) fails the job
 * with the line's number, read without holding the line (issue 10 item 11).
 */
import { describe, expect, it } from 'vitest';
import { createReadStream, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, waitForJob } from './helpers/local-server.js';
import { logSourceExamples } from './helpers/loghub-examples.js';

describe('a training file with a line over 32 MiB', () => {
  it('fails the job at that line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ftpipe-long-line-'));
    const examples = logSourceExamples({ perSystem: 2 }).map((e) => JSON.stringify(e));
    const huge = JSON.stringify({ messages: [{ role: 'user', content: 'x'.repeat(40 * 1024 * 1024) }, { role: 'assistant', content: 'y' }] });
    const path = join(dir, 'train.jsonl');
    writeFileSync(path, [...examples.slice(0, 5), huge, ...examples.slice(5)].join('\n') + '\n');
    const t = await startTestServer();
    try {
      const file = await t.client.files.create({ file: createReadStream(path), purpose: 'fine-tune' });
      const job = await t.client.fineTuning.jobs.create({ model: 'gpt-4o-mini', training_file: file.id });
      const done = await waitForJob(t.client, job.id, 120_000);
      expect(done.status).toBe('failed');
      expect(done.error?.message).toBe('Invalid file format. Line 6 is longer than 32 MiB.');
    } finally {
      await t.server.close();
    }
  }, 180_000);
});
