/**
 * Tokenizer benchmark, side by side in one run: ftpipe's counter, tiktoken's core (npm tiktoken, the
 * Rust core as WASM), gpt-tokenizer and js-tiktoken, on chat text and on long unbroken inputs (one
 * 100 KB piece of each kind). Counts are checked against the core; times are CPU seconds per MB of
 * this process and reported as ratios to the core (the machine may be shared: prefer the ratios).
 */
import { readFileSync } from 'node:fs';
import { get_encoding } from 'tiktoken';
import { countTokens as gptTokenizerO200k } from 'gpt-tokenizer/encoding/o200k_base';
import { countTokens as gptTokenizerCl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { Tiktoken as JsTiktoken } from 'js-tiktoken/lite';
import { TokenCounter, sharedRanks, type EncodingName } from '../src/data/tokens.js';
import { loadRankFile } from '../src/data/bpe.js';
import type { BenchOptions } from './data-sections.js';
import { chatFile } from './data-sections.js';

type Count = (text: string) => number;

function peers(encoding: EncodingName): Record<string, Count> {
  const core = get_encoding(encoding);
  const js = new JsTiktoken(loadRankFile(encoding));
  const counter = new TokenCounter(encoding, sharedRanks(encoding));
  return {
    ftpipe: (t) => counter.count(t),
    'tiktoken core (WASM)': (t) => core.encode_ordinary(t).length,
    'gpt-tokenizer': encoding === 'o200k_base' ? (t) => gptTokenizerO200k(t) : (t) => gptTokenizerCl100k(t),
    'js-tiktoken': (t) => js.encode(t, [], []).length,
  };
}

/** CPU seconds this process spends counting every text once, and the total count. */
function measure(count: Count, texts: string[]): { cpu: number; total: number } {
  const start = process.cpuUsage();
  let total = 0;
  for (const text of texts) total += count(text);
  const used = process.cpuUsage(start);
  return { cpu: (used.user + used.system) / 1e6, total };
}

function report(title: string, texts: string[], counters: Record<string, Count>): void {
  const mb = texts.reduce((n, t) => n + Buffer.byteLength(t), 0) / 1e6;
  const results = Object.entries(counters).map(([name, count]) => ({ name, ...measure(count, texts) }));
  const core = results.find((r) => r.name.startsWith('tiktoken core'))!;
  console.log(`  ${title} (${mb.toFixed(2)} MB)`);
  for (const r of results) {
    const exact = r.total === core.total ? 'counts = core' : `counts ≠ core (${r.total} vs ${core.total})`;
    console.log(`    ${r.name.padEnd(22)} ${r.cpu.toFixed(3).padStart(8)} CPU s  ${(mb / r.cpu).toPrecision(3).padStart(7)} MB/CPU-s  ${(r.cpu / core.cpu).toPrecision(2).padStart(7)}× the core's time  ${exact}`);
  }
}

/** Message contents of the first examples of the benchmark's chat file (~1 KB each). */
function chatTexts(path: string, examples: number): string[] {
  const texts: string[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n', examples)) {
    if (line === '') continue;
    for (const m of JSON.parse(line).messages) texts.push(m.content);
  }
  return texts;
}

/** One unbroken input of each kind that used to be quadratic. */
export function longInputs(bytes: number): Record<string, string> {
  const fill = (unit: string) => unit.repeat(Math.ceil(bytes / Buffer.byteLength(unit))).slice(0, Math.ceil(bytes / Buffer.byteLength(unit)) * unit.length);
  return {
    'letters, no spaces': fill('abcdefghij'),
    'one letter repeated': fill('a'),
    spaces: fill(' '),
    newlines: fill('\n'),
    'spaces and newlines': fill(' \n'),
    CJK: fill('日本語のテキスト中文한국어'),
    'U+3000 spaces': fill('\u3000'),
    punctuation: fill('!@#$%^&*()'),
  };
}

export async function tokenizerSection(options: BenchOptions & { longKb?: number }): Promise<void> {
  const input = await chatFile(options);
  const texts = chatTexts(input, Math.min(options.examples, 20_000));
  const longKb = options.longKb ?? 100;
  for (const encoding of ['o200k_base', 'cl100k_base'] as const) {
    console.log(`tokenizer ${encoding}:`);
    const counters = peers(encoding);
    report('chat messages', texts, counters);
    if (encoding !== 'o200k_base') continue; // the long inputs take the quadratic peers minutes each: one encoding is enough
    // js-tiktoken merges as the core does (quadratically): minutes per input without telling more.
    const { 'js-tiktoken': _, ...longPeers } = counters;
    for (const [kind, text] of Object.entries(longInputs(longKb * 1000))) report(`one ${longKb} KB input: ${kind}`, [text], longPeers);
  }
}
