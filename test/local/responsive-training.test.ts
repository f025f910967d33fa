/**
 * Training runs off the event loop: while `ftpipe serve` (the compiled CLI, so the job trains in its
 * worker thread) trains a large retriever job with a shared system prompt, job polls and chat requests
 * keep answering about as fast as when it is idle, over keep-alive connections, without a reset.
 * Timing is compared with the same requests on the idle server (a ratio, so a busy machine does not
 * make it fail); strict figures are in the benchmark (`npm run bench -- local`).
 */
import { describe, expect, it } from 'vitest';
import { createReadStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { startServe } from './helpers/serve-process.js';
import { chat, loghubRows, writeJsonl } from './helpers/loghub-examples.js';

const SYSTEM = [
  'You are the log analyst of a large computing cluster. Read the log line the operator gives you and answer with its event template:',
  'the line with every variable part (numbers, addresses, identifiers, paths) replaced by <*>, nothing else. Keep the words of the',
  'original line, keep its punctuation, do not explain, do not add a prefix, do not wrap the answer in quotes. When several lines are',
  'given, answer for the first one only. Lines come from BlueGene/L, Hadoop, HDFS, Linux, OpenSSH and Apache servers.',
].join(' ');

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];

describe('ftpipe serve while a job trains', () => {
  it('answers job polls and chat about as fast as when idle', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ftpipe-responsive-'));
    const rows = loghubRows('BGL');
    const examples = Array.from({ length: 2000 }, (_, i) => {
      const lines = Array.from({ length: 6 }, (_, j) => rows[(i * 7 + j) % rows.length].Content).join('\n');
      return chat(SYSTEM, lines, rows[(i * 7) % rows.length].EventTemplate);
    });
    const serve = await startServe(['--data-dir', join(dir, 'state'), '--fault', 'step-delay=4']);
    try {
      const client = new OpenAI({ baseURL: serve.url, apiKey: serve.apiKey, maxRetries: 0 });
      const file = await client.files.create({ file: createReadStream(writeJsonl(join(dir, 'train.jsonl'), examples)), purpose: 'fine-tune' });
      const question = examples[10].messages.slice(0, 2) as OpenAI.ChatCompletionMessageParam[];
      const round = (jobId?: string) => Promise.all([timed(() => (jobId ? client.fineTuning.jobs.retrieve(jobId) : client.fineTuning.jobs.list())), timed(() => client.chat.completions.create({ model: 'gpt-4o-mini', messages: question }))]);

      for (let i = 0; i < 5; i++) await round(); // warm up (tokenizer, JIT)
      const idle: number[] = [];
      for (let i = 0; i < 20; i++) idle.push(...(await round()));

      const job = await client.fineTuning.jobs.create({ model: 'gpt-4o-mini', training_file: file.id, seed: 1 });
      const busy: number[] = [];
      let status = job.status;
      const statuses = new Set<string>();
      while (!['succeeded', 'failed', 'cancelled'].includes(status)) {
        busy.push(...(await round(job.id)));
        status = (await client.fineTuning.jobs.retrieve(job.id)).status;
        statuses.add(status);
      }
      expect(status).toBe('succeeded');
      expect(statuses).toContain('running');
      expect(busy.length).toBeGreaterThan(20);
      const report = `idle p50 ${percentile(idle, 0.5).toFixed(0)} ms, p90 ${percentile(idle, 0.9).toFixed(0)} ms; training (${busy.length} requests) p50 ${percentile(busy, 0.5).toFixed(0)} ms, p90 ${percentile(busy, 0.9).toFixed(0)} ms, max ${Math.max(...busy).toFixed(0)} ms`;
      console.log(report);
      // Generous bounds: blocking the event loop with training costs seconds per request, not a few ms.
      expect(percentile(busy, 0.5), report).toBeLessThan(Math.max(100, 4 * percentile(idle, 0.5)));
      expect(percentile(busy, 0.9), report).toBeLessThan(Math.max(250, 6 * percentile(idle, 0.9)));
      const tuned = await client.chat.completions.create({ model: (await client.fineTuning.jobs.retrieve(job.id)).fine_tuned_model!, messages: question, temperature: 0 });
      expect(tuned.choices[0].message.content).toBe(examples[10].messages[2].content);
    } finally {
      await serve.stop();
    }
  });
});
