/**
 * Benchmark sections for the data stages: validate and clean on a generated chat file, next to
 * tiktoken's core counting the same examples (the peer the targets are measured against),
 * worker-thread choices, and peak memory at 100k and 1M examples.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { get_encoding } from 'tiktoken';
import { generateChatFile } from './generate-chat.js';

export interface BenchOptions {
  dir: string;
  examples: number;
}

export async function chatFile(options: BenchOptions): Promise<string> {
  const path = join(options.dir, `chat-${options.examples}.jsonl`);
  if (!existsSync(path)) {
    const started = performance.now();
    const bytes = await generateChatFile(path, options.examples);
    console.log(`generated ${options.examples.toLocaleString('en-US')} examples, ${(bytes / 1e6).toFixed(0)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  return path;
}

interface Timing {
  mb: number;
  seconds: number;
  cpuSeconds: number;
  rssMb: number;
}

const child = fileURLToPath(new URL('./stage-child.js', import.meta.url));

/** Runs the stage in a process of its own (see stage-child.ts), so peak RSS is its alone. */
async function timeStage(name: string, stage: 'validate' | 'clean', params: Record<string, unknown>, options: BenchOptions, input: string): Promise<Timing> {
  const out = execFileSync(process.execPath, [child, stage, JSON.stringify(params), options.dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const { seconds, cpuSeconds, rssMb, summary } = JSON.parse(out) as { seconds: number; cpuSeconds: number; rssMb: number; summary: string };
  const mb = statSync(input).size / 1e6;
  console.log(`${name}: ${mb.toFixed(0)} MB in ${seconds.toFixed(1)} s = ${(mb / seconds).toFixed(1)} MB/s wall, ${(mb / cpuSeconds).toFixed(1)} MB/CPU-s (${cpuSeconds.toFixed(1)} CPU s, all threads), peak RSS ${rssMb.toFixed(0)} MB — ${summary}`);
  return { mb, seconds, cpuSeconds, rssMb };
}

/** The peer: tiktoken's core counting the cookbook tokens of the first `limit` examples; MB per CPU second. */
function coreCookbookRate(input: string, limit: number): number {
  const core = get_encoding('o200k_base');
  const lines = readFileSync(input, 'utf8').split('\n', limit);
  const start = process.cpuUsage();
  let bytes = 0;
  let tokens = 0;
  for (const line of lines) {
    if (line === '') continue;
    bytes += Buffer.byteLength(line) + 1;
    tokens += 3;
    for (const m of JSON.parse(line).messages) tokens += 3 + core.encode_ordinary(m.role).length + core.encode_ordinary(m.content).length;
  }
  const used = process.cpuUsage(start);
  core.free();
  const rate = bytes / 1e6 / ((used.user + used.system) / 1e6);
  console.log(`tiktoken core (WASM), cookbook count of the first ${lines.length.toLocaleString('en-US')} examples: ${rate.toFixed(1)} MB/CPU-s (${tokens.toLocaleString('en-US')} tokens)`);
  return rate;
}

const ratio = (t: Timing, peer: number) => `${(t.mb / t.cpuSeconds / peer).toFixed(1)}× the core's MB per CPU second`;

export async function validateSection(options: BenchOptions): Promise<void> {
  const input = await chatFile(options);
  const t = await timeStage('validate', 'validate', { input, model: 'gpt-4o-mini-2024-07-18', fail_on: [] }, options, input);
  console.log(`  validate vs the core: ${ratio(t, coreCookbookRate(input, 20_000))}`);
}

export async function cleanSection(options: BenchOptions): Promise<void> {
  const input = await chatFile(options);
  const t = await timeStage('clean', 'clean', { input, max_tokens: 4096 }, options, input);
  console.log(`  clean vs the core: ${ratio(t, coreCookbookRate(input, 20_000))}`);
}

/** Worker threads against inline, on this machine's cores: what the defaults are chosen from. */
export async function threadsSection(options: BenchOptions): Promise<void> {
  const input = await chatFile(options);
  console.log(`threads (${availableParallelism()} cores available):`);
  for (const threads of [0, 1, 2, 3]) await timeStage(`  validate threads=${threads}`, 'validate', { input, model: 'gpt-4o-mini-2024-07-18', fail_on: [], threads }, options, input);
  for (const threads of [0, 1, 2]) await timeStage(`  clean threads=${threads}`, 'clean', { input, max_tokens: 4096, threads }, options, input);
  await timeStage('  validate default', 'validate', { input, model: 'gpt-4o-mini-2024-07-18', fail_on: [] }, options, input);
  await timeStage('  clean default', 'clean', { input, max_tokens: 4096 }, options, input);
}

/** Peak memory must stay flat from 100k to 1M examples (only the dedupe digests grow, ~50 bytes each). */
export async function scaleSection(options: BenchOptions): Promise<void> {
  for (const examples of [100_000, 1_000_000]) {
    const sized = { ...options, examples };
    const input = await chatFile(sized);
    await timeStage(`validate ${examples.toLocaleString('en-US')}`, 'validate', { input, model: 'gpt-4o-mini-2024-07-18', fail_on: [] }, sized, input);
    await timeStage(`clean ${examples.toLocaleString('en-US')}`, 'clean', { input, max_tokens: 4096 }, sized, input);
  }
}
