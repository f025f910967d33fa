/**
 * Local provider benchmarks. `retriever`: training time with and without a shared system prompt (the
 * same examples; target: the shared prompt costs ≤ 1.5×). `serve`: request latency of the compiled
 * server while a large job trains in its worker thread, against the same requests when idle (target:
 * p99 ≤ 100 ms), and a small request's latency while another client sends the heaviest chat requests.
 */
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import OpenAI from 'openai';
import { TrainingRun } from '../src/local/trainer/training-run.js';
import { resolveHyperparameters } from '../src/local/trainer/hyperparameters.js';
import { startLocalServer } from '../src/local/server.js';
import { freeFormExamples } from './free-form-examples.js';
import type { BenchOptions } from './data-sections.js';

const RETRIEVER_EXAMPLES = 3000;

export async function retrieverSection(): Promise<void> {
  const times: number[] = [];
  for (const systemWords of [0, 150]) {
    const { examples } = freeFormExamples(RETRIEVER_EXAMPLES, systemWords);
    const started = performance.now();
    const run = new TrainingRun(examples, [], resolveHyperparameters({}, examples.length), 1);
    let slowest = 0;
    while (!run.done) {
      const step = performance.now();
      run.step();
      slowest = Math.max(slowest, performance.now() - step);
    }
    times.push(performance.now() - started);
    console.log(`retriever: ${examples.length} free-form examples, ${run.totalSteps} steps${systemWords ? `, a shared ${systemWords}-word system prompt` : ''}: ${(times.at(-1)! / 1000).toFixed(2)} s (slowest step ${slowest.toFixed(0)} ms)`);
  }
  const ratio = times[1] / times[0];
  console.log(`  shared system prompt / none: ${ratio.toFixed(2)}× — target ≤ 1.5× ${ratio <= 1.5 ? 'OK' : 'MISSED'}`);
}

export async function serveSection(options: BenchOptions): Promise<void> {
  const dir = join(options.dir, 'serve');
  mkdirSync(dir, { recursive: true });
  const server = await startLocalServer({ dataDir: join(dir, 'state'), token: 'bench-token-0123456789' });
  try {
    const client = new OpenAI({ baseURL: server.url, apiKey: 'bench-token-0123456789', maxRetries: 0 });
    const set = freeFormExamples(RETRIEVER_EXAMPLES, 150);
    const path = join(dir, 'train.jsonl');
    const out = createWriteStream(path);
    set.messages.forEach((m, i) => out.write(JSON.stringify({ messages: [...m, { role: 'assistant', content: set.examples[i].answer }] }) + '\n'));
    out.end();
    await once(out, 'finish');
    const file = await client.files.create({ file: createReadStream(path), purpose: 'fine-tune' });
    const question = set.messages[0];
    const round = async (jobId?: string) => [
      await timed(() => (jobId ? client.fineTuning.jobs.retrieve(jobId) : client.fineTuning.jobs.list())),
      await timed(() => client.chat.completions.create({ model: 'gpt-4o-mini', messages: question })),
    ];
    for (let i = 0; i < 10; i++) await round();
    const idle: number[] = [];
    for (let i = 0; i < 100; i++) idle.push(...(await round()));
    const job = await client.fineTuning.jobs.create({ model: 'gpt-4o-mini', training_file: file.id, seed: 1 });
    // The server runs in this process: its event loop's delay shows blocking apart from CPU contention.
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const busy: number[] = [];
    const started = performance.now();
    let status: string = job.status;
    while (!['succeeded', 'failed', 'cancelled'].includes(status)) {
      busy.push(...(await round(job.id)));
      status = (await client.fineTuning.jobs.retrieve(job.id)).status;
    }
    const trainedMs = performance.now() - started;
    loop.disable();
    console.log(`serve: a ${set.examples.length}-example retriever job (shared system prompt) ${status} in ${(trainedMs / 1000).toFixed(1)} s in the worker thread`);
    console.log(`  idle:     ${stats(idle)}`);
    console.log(`  training: ${stats(busy)} — target p99 ≤ 100 ms ${percentile(busy, 0.99) <= 100 ? 'OK' : 'MISSED'}`);
    console.log(`  the server's event loop while training: delay p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms, max ${(loop.max / 1e6).toFixed(1)} ms`);

    const heavyPrompt = set.messages.slice(0, 3000).map((m) => m.at(-1)!.content).join('\n').slice(0, 250_000);
    const model = (await client.fineTuning.jobs.retrieve(job.id)).fine_tuned_model!;
    let heavyDone = 0;
    const heavyStarted = performance.now();
    const heavy = Promise.all(Array.from({ length: 4 }, () => client.chat.completions.create({ model, n: 128, max_tokens: 16_384, messages: [{ role: 'user', content: heavyPrompt }] }).then(() => heavyDone++)));
    const light: number[] = [];
    while (heavyDone < 4) light.push(await timed(() => client.models.list()));
    await heavy;
    console.log(`  fairness: 4 concurrent n=128 requests over a ~250 kB prompt took ${(performance.now() - heavyStarted).toFixed(0)} ms; meanwhile another client's requests: ${stats(light)}`);
  } finally {
    await server.close();
  }
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

function stats(values: number[]): string {
  return `${values.length} requests, p50 ${percentile(values, 0.5).toFixed(1)} ms, p99 ${percentile(values, 0.99).toFixed(1)} ms, max ${Math.max(...values).toFixed(1)} ms`;
}
