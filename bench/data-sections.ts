/** Benchmark sections for the data stages: validate and clean on a generated chat file. */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import validate from '../stages/validate.js';
import clean from '../stages/clean.js';
import type { StageDefinition } from '../src/stage/types.js';
import { generateChatFile } from './generate-chat.js';
import { benchContext } from './stage-context.js';
import { peakRssMb, resetPeakRss } from './peak-rss.js';

export interface BenchOptions {
  dir: string;
  examples: number;
}

async function chatFile(options: BenchOptions): Promise<string> {
  const path = join(options.dir, `chat-${options.examples}.jsonl`);
  if (!existsSync(path)) {
    const started = performance.now();
    const bytes = await generateChatFile(path, options.examples);
    console.log(`generated ${options.examples.toLocaleString('en-US')} examples, ${(bytes / 1e6).toFixed(0)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  return path;
}

async function timeStage<P>(name: string, def: StageDefinition<P>, params: P, options: BenchOptions, input: string): Promise<void> {
  resetPeakRss();
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const result = await def.run(benchContext(def, params, options.dir));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const mb = statSync(input).size / 1e6;
  console.log(`${name}: ${mb.toFixed(0)} MB in ${seconds.toFixed(1)} s = ${(mb / seconds).toFixed(1)} MB/s, peak RSS ${peakRssMb().toFixed(0)} MB, ${cpuSeconds.toFixed(1)} CPU s (all threads; wall time depends on other load) — ${result && result.summary}`);
}

export async function validateSection(options: BenchOptions): Promise<void> {
  const input = await chatFile(options);
  await timeStage('validate', validate, { input, model: 'gpt-4o-mini-2024-07-18', fail_on: [] }, options, input);
}

export async function cleanSection(options: BenchOptions): Promise<void> {
  const input = await chatFile(options);
  await timeStage('clean', clean, { input, max_tokens: 4096 }, options, input);
}
